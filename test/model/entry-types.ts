/**
 * Key and elem types whose entries own heap objects, one of each kind the heap sees
 * (src/model/entry-objects.ts): string bytes (16 bytes; 5 bytes, tiny objects), new(T),
 * indirect keys and elems (over 128 bytes), and structs whose strings and slices are
 * objects of their own (several a value: Heap.allocRun). The range-loop tests run
 * random programs on them.
 */
import type { MapLengths } from "../../src/model/runtime.ts";

export type Types = [string, string] | [string, string, MapLengths];

export const objectTypes: Types[] = [
  ["string", "[128]byte"],
  ["string", "int"],
  ["int", "*int"],
  ["int", "*[128]byte"],
  ["int", "string", { elem: { len: 5 } }],
  ["int", "[300]byte"],
  ["[200]byte", "int"],
  ["string", "string", { key: { len: 24 }, elem: { len: 40 } }],
  [
    "struct{ ID int64; Name string }",
    "struct{ Name string; Tags []string; P *int }",
    { key: { Name: { len: 20 } }, elem: { Name: { len: 12 }, Tags: { len: 3, cap: 4, elem: { len: 8 } } } },
  ],
];
