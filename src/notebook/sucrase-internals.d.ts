// sucrase's parser is not part of its public entry point; compile.ts uses it to learn
// which identifiers a cell declares at its top level and which it reads. These are the pieces it uses.
declare module "sucrase/dist/parser/index.js" {
  export function parse(
    input: string,
    isJSXEnabled: boolean,
    isTypeScriptEnabled: boolean,
    isFlowEnabled: boolean,
  ): { tokens: unknown[] };
}
declare module "sucrase/dist/parser/tokenizer/index.js" {
  export const IdentifierRole: {
    readonly Access: number;
    readonly ObjectShorthand: number;
    readonly TopLevelDeclaration: number;
    readonly ObjectShorthandTopLevelDeclaration: number;
  };
}
