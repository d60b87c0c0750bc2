/**
 * Scenario → Go program.
 *
 * The generated program is the scenario, written out as plain Go, plus a
 * measuring probe. The go-truth harness builds and runs it
 * (tools/go-truth/record.ts) and never commits it; /your-map/ shows it
 * (src/your-map/estimate.ts), so a reader can run the very program the
 * harness would record. This module is pure (no Node API), so it runs in
 * the page's estimator worker as well as in the harness.
 *
 * The first line of every program still names tools/go-truth/generate.ts, the
 * generator's home when the golden files were recorded: the programs stay
 * byte for byte those that produced the committed golden files
 * (test/go-truth/generate.test.ts holds one whole).
 *
 * What the program does
 *   - `var m map[K]V` at package level, so the map is a heap object reached
 *     from a global, as in a long-running server, and `runtime.KeepAlive(m)` at
 *     the end.
 *   - Each step becomes the Go statement scenario.ts documents. Keys and elems
 *     for scenario integer i:
 *       integer K      K(i)
 *       string         the 16 decimal digits of i, zero-padded: the value of
 *                      fmt.Sprintf("%016d", i), built without fmt so that the
 *                      only allocation is the string's own 16 bytes
 *       [N]byte        key: i little-endian in the first min(N, 8) bytes;
 *                      elem: byte(i) in the first byte
 *       *T             a fresh new(T) on every insert, its pointee set to
 *                      T's value of i (so its page becomes resident)
 *       [N]integer     element 0 is T(i), the rest zero
 *       float, bool    T(i), i%2 == 1
 *       struct{}       struct{}{}
 *     Deletes with string keys look the key up through a string header that
 *     points at a global buffer, so a delete allocates nothing.
 *   - sleep is time.Sleep; freeOSMemory, setMemoryLimit and setGCPercent are
 *     runtime/debug's FreeOSMemory, SetMemoryLimit and SetGCPercent; `step: K`
 *     on insert/delete makes the loop i += K.
 *   - `clear` is clear(m) from Go 1.21; before that, the range-and-delete
 *     loop, which the compiler turns into the same runtime call (mapclear).
 *
 * The probe (func snapshot)
 *   1. runtime.ReadMemStats into a package-level MemStats;
 *   2. reads the map's header through unsafe:
 *        Go ≤ 1.23  hmap: B, noverflow, flags, oldbuckets, nevacuate, and walks
 *                   every bucket's overflow chain to count overflow buckets in
 *                   use; mapextra: preallocated overflow buckets still free,
 *                   and the lengths of the overflow slices kept for buckets
 *                   without pointers (hmap and mapextra layouts from
 *                   runtime/map.go, bucket layout mirrored
 *                   as the compiler builds it: tophash, 8 keys, 8 elems,
 *                   overflow pointer, keys/elems over 128 bytes as pointers);
 *        Go ≥ 1.24  maps.Map: used, dirLen, globalDepth, then every distinct
 *                   table in the directory: capacity, growthLeft, and its
 *                   tombstones (control bytes equal to ctrlDeleted, 0xFE)
 *                   (layouts from internal/runtime/maps/map.go, table.go);
 *   3. the process's memory: MemStats HeapInuse, HeapIdle, HeapReleased,
 *      HeapSys, Sys, and RSS from /proc/self/statm (opened once in init, read
 *      with pread into a fixed buffer);
 *   4. stores the numbers in a package-level array sized at generation time.
 *   Nothing here allocates, so the probe does not move HeapAlloc; the results
 *   are formatted and printed only after the last step, one JSON array per
 *   snapshot, fields in the order of CLASSIC_FIELDS / SWISS_FIELDS.
 */

import { processFields } from "../golden/golden.ts";
import type { CheckedScenario, Step } from "./scenario.ts";
import { goSource, isByteArray, isInteger, sizeOf, storedIndirectly, type HarnessType } from "./go-type.ts";
import type { LengthSpec } from "../model/types.ts";

/**
 * The process's memory at a snapshot, in bytes: runtime.MemStats' HeapInuse,
 * HeapIdle, HeapReleased, HeapSys and Sys, and the resident set size from
 * /proc/self/statm (its second field, resident pages, × os.Getpagesize()).
 */
export const PROCESS_FIELDS = processFields;

/**
 * The fields snapshot() writes for every map: MemStats, len(m), m == nil, and the
 * process's memory (PROCESS_FIELDS).
 */
export const SNAPSHOT_FIELDS = [
  "heapAlloc",
  "numGC",
  "nextGC",
  "heapObjects",
  "len",
  "nil",
  ...PROCESS_FIELDS,
] as const;

/** Fields of one snapshot row for classic maps (Go 1.19–1.23), in print order. */
export const CLASSIC_FIELDS = [
  ...SNAPSHOT_FIELDS,
  "B",
  "noverflow",
  "overflowBuckets",
  "growing",
  "sameSizeGrow",
  "nevacuate",
  "preallocatedFree",
  "extraOverflow",
  "extraOldOverflow",
] as const;

/** Fields of one snapshot row for Swiss-table maps (Go 1.24+), in print order. */
export const SWISS_FIELDS = [
  ...SNAPSHOT_FIELDS,
  "small",
  "used",
  "dirLen",
  "globalDepth",
  "tables",
  "capacity",
  "growthLeft",
  "tombstones",
] as const;

/** Column of each field in a row: the probes below index rows by these, never by hand. */
function columns<F extends string>(fields: readonly F[]): Record<F, number> {
  return Object.fromEntries(fields.map((f, i) => [f, i])) as Record<F, number>;
}
const C = columns(CLASSIC_FIELDS);
const S = columns(SWISS_FIELDS);
// The shared leading fields sit at the same columns in both layouts.
for (const f of SNAPSHOT_FIELDS) if (C[f] !== S[f]) throw new Error(`${f}: classic and Swiss columns differ`);

const SAME_SIZE_GROW_FLAG = 8; // hmap.flags bit sameSizeGrow (runtime/map.go)

/** "1.23" → 23; throws on anything that is not 1.N. */
export function minorVersion(go: string): number {
  const m = /^1\.(\d+)(?:\.\d+)?$/.exec(go);
  if (m === null) throw new Error(`not a Go 1.N version: ${JSON.stringify(go)}`);
  return Number(m[1]);
}

export function isSwiss(go: string): boolean {
  return minorVersion(go) >= 24;
}

export function fieldsFor(go: string): readonly string[] {
  return isSwiss(go) ? SWISS_FIELDS : CLASSIC_FIELDS;
}

const DEFAULT_STRING_LEN = 16; // fmt.Sprintf("%016d", i), the scenario strings before lengths existed

/** A spec's sub-spec (a field's, or "elem"), undefined when absent. */
function sub(spec: LengthSpec | undefined, name: string): LengthSpec | undefined {
  const v = spec?.[name];
  return typeof v === "object" ? v : undefined;
}

/** The value builders of the first harness (kept byte for byte: committed goldens came from them). */
function isLegacy(t: HarnessType, spec: LengthSpec | undefined): boolean {
  switch (t.kind) {
    case "basic":
      return t.name !== "string" || (spec?.len ?? DEFAULT_STRING_LEN) === DEFAULT_STRING_LEN;
    case "array":
      return t.elem.kind === "basic" && t.elem.name !== "string";
    case "pointer": // *struct{…} goes through the builder, which writes T's fields
      return t.elem.kind !== "struct" && pointsNowhere(t.elem);
    case "emptyStruct":
      return true;
    case "slice":
    case "struct":
      return false;
  }
}

/** No strings, slices or pointers inside: new(T) is the only object. */
function pointsNowhere(t: HarnessType): boolean {
  switch (t.kind) {
    case "basic":
      return t.name !== "string";
    case "array":
      return pointsNowhere(t.elem);
    case "emptyStruct":
      return true;
    case "struct":
      return t.fields.every((f) => pointsNowhere(f.type));
    case "slice":
    case "pointer":
      return false;
  }
}

/** What the builders below need besides their lines: helper functions and buffers. */
interface BuildState {
  /** Lengths of the strN helpers used. */
  readonly strLens: Set<number>;
  /** Lengths of the lookup buffers lookupBuf0, lookupBuf1, … */
  readonly lookupBufs: number[];
}

/**
 * Statements that fill `lv` (a zero value of type t) with the value for scenario
 * integer i, allocating as src/model/types.ts lists (GoType.objects): fields in order,
 * a slice's backing array before its elements, new(T) before T's contents. In
 * "lookup" mode strings point at global buffers instead, so that a delete allocates
 * nothing (keys hold no slices or pointers).
 */
function build(
  t: HarnessType,
  spec: LengthSpec | undefined,
  lv: string,
  ind: string,
  st: BuildState,
  mode: "value" | "lookup",
  depth: number,
): string[] {
  const j = `j${depth}`;
  switch (t.kind) {
    case "basic": {
      if (t.name === "string") {
        const len = spec?.len ?? DEFAULT_STRING_LEN;
        if (len === 0) return [];
        if (mode === "lookup") {
          const k = st.lookupBufs.push(len) - 1;
          return [`${ind}${lv} = lookupString(lookupBuf${k}[:], i)`];
        }
        st.strLens.add(len);
        return [`${ind}${lv} = str${len}(i)`];
      }
      if (t.name === "bool") return [`${ind}${lv} = i%2 == 1`];
      return [`${ind}${lv} = ${t.name}(i)`];
    }
    case "array": {
      if (t.len === 0) return [];
      if (isByteArray(t)) {
        const n = Math.min(t.len, 8);
        return [
          `${ind}for b := 0; b < ${n}; b++ {`,
          `${ind}	${lv}[b] = byte(uint64(i) >> (8 * b))`,
          `${ind}}`,
        ];
      }
      if (t.elem.kind === "basic" && t.elem.name !== "string" && t.elem.name !== "bool")
        return [`${ind}${lv}[0] = ${t.elem.name}(i)`];
      const body = build(t.elem, sub(spec, "elem"), `${lv}[${j}]`, `${ind}	`, st, mode, depth + 1);
      return body.length === 0 ? [] : [`${ind}for ${j} := range ${lv} {`, ...body, `${ind}}`];
    }
    case "slice": {
      const len = spec?.len ?? 0;
      const cap = spec?.cap ?? len;
      if (cap === 0) return []; // a nil slice
      const out = [`${ind}${lv} = make([]${goSource(t.elem)}, ${len}, ${cap})`];
      const body = build(t.elem, sub(spec, "elem"), `${lv}[${j}]`, `${ind}	`, st, mode, depth + 1);
      if (len > 0 && body.length > 0) out.push(`${ind}for ${j} := range ${lv} {`, ...body, `${ind}}`);
      return out;
    }
    case "pointer":
      return [
        `${ind}${lv} = new(${goSource(t.elem)})`,
        ...build(t.elem, spec, `(*${lv})`, ind, st, mode, depth),
      ];
    case "emptyStruct":
      return [];
    case "struct":
      return t.fields.flatMap((f) =>
        f.name === "_" ? [] : build(f.type, sub(spec, f.name), `${lv}.${f.name}`, ind, st, mode, depth),
      );
  }
}

/** The Go function that builds the value for scenario integer i (see `build`). */
function builtFunction(
  name: string,
  typeName: string,
  t: HarnessType,
  spec: LengthSpec | undefined,
  st: BuildState,
  mode: "value" | "lookup",
): string {
  return [
    `func ${name}(i int) ${typeName} {`,
    `	var v ${typeName}`,
    ...build(t, spec, "v", "	", st, mode, 0),
    `	return v`,
    `}`,
  ].join("\n");
}

/** Go helpers for the strings of non-default length (strN, lookupString). */
function stringHelpers(st: BuildState): string[] {
  if (st.strLens.size === 0 && st.lookupBufs.length === 0) return [];
  const out = [
    "// putDigits writes i in decimal, zero-padded to len(b) (its low digits when i has",
    "// more), as fmt's %0*d does for a width of len(b).",
    "func putDigits(b []byte, i int) {",
    "\tu := uint64(i)",
    "\tfor j := len(b) - 1; j >= 0; j-- {",
    "\t\tb[j] = byte('0' + u%10)",
    "\t\tu /= 10",
    "\t}",
    "}",
    "",
  ];
  for (const n of [...st.strLens].sort((a, b) => a - b)) {
    out.push(
      `// str${n} returns i as ${n} digits: one allocation, the string's ${n} bytes.`,
      `func str${n}(i int) string {`,
      `\tvar b [${n}]byte`,
      "\tputDigits(b[:], i)",
      "\treturn string(b[:])",
      "}",
      "",
    );
  }
  if (st.lookupBufs.length > 0) {
    out.push(
      "// lookupString returns i's digits as a string that points into b (a global",
      "// buffer): building a key to delete allocates nothing. The map does not keep it.",
      "func lookupString(b []byte, i int) string {",
      "\tputDigits(b, i)",
      "\treturn *(*string)(unsafe.Pointer(&b))",
      "}",
      "",
      "var (",
      ...st.lookupBufs.map((n, k) => `\tlookupBuf${k} [${n}]byte`),
      ")",
      "",
    );
  }
  return out;
}

/**
 * The Go function that builds the value for scenario integer i. Keys must be
 * distinct, so a [N]byte key holds i little-endian in its first min(N, 8) bytes;
 * an elem is written as a program writes its values: a [N]byte elem gets byte(i)
 * in its first byte, and a *T elem points at a fresh T holding T's value of i
 * (written, so its page becomes resident; `new` alone leaves a fresh page
 * untouched). Pointees are built by the function named `${name}Pointee`.
 */
function valueFunction(name: string, typeName: string, t: HarnessType, role: "key" | "elem"): string {
  const head = `func ${name}(i int) ${typeName} {`;
  if (t.kind === "pointer") {
    return [
      `${head}\n\tp := new(${goSource(t.elem)})\n\t*p = ${name}Pointee(i)\n\treturn p\n}`,
      "",
      valueFunction(`${name}Pointee`, goSource(t.elem), t.elem, role),
    ].join("\n");
  }
  if (t.kind === "emptyStruct") return `${head}\n\treturn ${typeName}{}\n}`;
  if (t.kind === "basic" && t.name === "string")
    return `${head}\n\tvar b [16]byte\n\tdigits16(&b, i)\n\treturn string(b[:])\n}`;
  if (t.kind === "basic" && t.name === "bool") return `${head}\n\treturn i%2 == 1\n}`;
  if (t.kind === "basic") return `${head}\n\treturn ${typeName}(i)\n}`;
  if (t.kind !== "array") throw new Error(`valueFunction: ${goSource(t)} needs the builder (isLegacy)`);
  const lines = [head, `\tvar v ${typeName}`];
  if (isByteArray(t)) {
    const n = role === "key" ? Math.min(t.len, 8) : Math.min(t.len, 1);
    if (n === 1) lines.push(`\tv[0] = byte(i)`);
    else if (n > 0)
      lines.push(`\tfor b := 0; b < ${n}; b++ {`, `\t\tv[b] = byte(uint64(i) >> (8 * b))`, `\t}`);
  } else if (
    t.len > 0 &&
    (isInteger(t.elem) || (t.elem.kind === "basic" && t.elem.name.startsWith("float")))
  ) {
    lines.push(`\tv[0] = ${goSource(t.elem)}(i)`);
  }
  lines.push(`\treturn v`, `}`);
  return lines.join("\n");
}

function stepCode(step: Step, minor: number): string {
  switch (step.op) {
    case "make":
      return step.hint === undefined ? "\tm = make(map[K]V)" : `\tm = make(map[K]V, ${step.hint})`;
    case "insert":
    case "delete": {
      const body = step.op === "insert" ? "\t\tm[key(i)] = elem(i)" : "\t\tdelete(m, lookupKey(i))";
      const k = step.step ?? 1;
      const lines = [`\tfor i := ${step.from}; i < ${step.to}; i${k === 1 ? "++" : ` += ${k}`} {`, body];
      if (step.every !== undefined) {
        // n, the iterations done so far: (i − from)/step + 1.
        const offset = step.from === 0 ? "i" : `(i-${step.from})`;
        const count = k === 1 ? `${offset}+1` : `${offset}/${k}+1`;
        lines.push(`\t\tif (${count})%${step.every} == 0 {`, "\t\t\tsnapshot()", "\t\t}");
      }
      lines.push("\t}");
      return lines.join("\n");
    }
    case "clear":
      return minor >= 21 ? "\tclear(m)" : "\tfor k := range m {\n\t\tdelete(m, k)\n\t}";
    case "gc":
      return "\truntime.GC()";
    case "recreate":
      return [
        "\t{",
        "\t\tn := make(map[K]V, len(m))",
        "\t\tfor k, v := range m {",
        "\t\t\tn[k] = v",
        "\t\t}",
        "\t\tm = n",
        "\t}",
      ].join("\n");
    case "drop":
      return "\tm = nil";
    case "snapshot":
      return "\tsnapshot()";
    case "sleep":
      return `\ttime.Sleep(${step.ms} * time.Millisecond)`;
    case "freeOSMemory":
      return "\tdebug.FreeOSMemory()";
    case "setMemoryLimit":
      return `\tdebug.SetMemoryLimit(${step.bytes})`;
    case "setGCPercent":
      return `\tdebug.SetGCPercent(${step.percent})`;
  }
}

/** Reads the resident set without allocating (see RSS_PROBE). */
const RSS_PROBE = `// statmFD is /proc/self/statm, opened once before main runs; rss re-reads it
// with pread into a fixed buffer, so a snapshot allocates nothing. Its second
// field is the resident set in pages.
var (
	statmFD  int
	statmBuf [128]byte
	pageSize = uint64(os.Getpagesize())
)

func init() {
	fd, err := syscall.Open("/proc/self/statm", syscall.O_RDONLY, 0)
	if err != nil {
		panic(err)
	}
	statmFD = fd
}

func rss() uint64 {
	n, err := syscall.Pread(statmFD, statmBuf[:], 0)
	if err != nil || n <= 0 {
		panic("pread /proc/self/statm")
	}
	field, v := 0, uint64(0)
	for _, c := range statmBuf[:n] {
		if c == ' ' {
			if field == 1 {
				break
			}
			field++
			continue
		}
		if field == 1 {
			v = v*10 + uint64(c-'0')
		}
	}
	return v * pageSize
}`;

const CLASSIC_PROBE = `// hmapHeader mirrors runtime.hmap (runtime/map.go).
type hmapHeader struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer
}

// mapextraHeader mirrors runtime.mapextra.
type mapextraHeader struct {
	overflow     *[]unsafe.Pointer
	oldoverflow  *[]unsafe.Pointer
	nextOverflow unsafe.Pointer
}

// bmap mirrors the bucket type the compiler builds for map[K]V.
type bmap struct {
	tophash  [8]uint8
	keys     [8]KS
	elems    [8]VS
	overflow unsafe.Pointer
}

func probeMap(row *[nfields]uint64) {
	h := *(**hmapHeader)(unsafe.Pointer(&m))
	if h == nil {
		row[${C.nil}] = 1
		return
	}
	row[${C.B}] = uint64(h.B)
	row[${C.noverflow}] = uint64(h.noverflow)
	if h.buckets != nil {
		buckets := unsafe.Slice((*bmap)(h.buckets), 1<<h.B)
		var chained uint64
		for j := range buckets {
			for b := buckets[j].overflow; b != nil; b = (*bmap)(b).overflow {
				chained++
			}
		}
		row[${C.overflowBuckets}] = chained
	}
	if h.oldbuckets != nil {
		row[${C.growing}] = 1
	}
	if h.flags&${SAME_SIZE_GROW_FLAG} != 0 {
		row[${C.sameSizeGrow}] = 1
	}
	row[${C.nevacuate}] = uint64(h.nevacuate)
	if h.extra == nil {
		return
	}
	x := (*mapextraHeader)(h.extra)
	// Preallocated overflow buckets not yet handed out: from nextOverflow up to
	// the last one, which is marked by a non-nil overflow pointer.
	for b := x.nextOverflow; b != nil; b = unsafe.Add(b, unsafe.Sizeof(bmap{})) {
		row[${C.preallocatedFree}]++
		if (*bmap)(b).overflow != nil {
			break
		}
	}
	if x.overflow != nil {
		row[${C.extraOverflow}] = uint64(len(*x.overflow))
	}
	if x.oldoverflow != nil {
		row[${C.extraOldOverflow}] = uint64(len(*x.oldoverflow))
	}
}`;

const SWISS_PROBE = `// swissMap mirrors the leading fields of maps.Map (internal/runtime/maps/map.go).
type swissMap struct {
	used        uint64
	seed        uintptr
	dirPtr      unsafe.Pointer
	dirLen      int
	globalDepth uint8
	globalShift uint8
}

// swissTable mirrors maps.table (internal/runtime/maps/table.go).
type swissTable struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	index      int
	groups     unsafe.Pointer
	lengthMask uint64
}

// slot and group mirror the group type the compiler builds for map[K]V.
type slot struct {
	key  KS
	elem VS
}

type group struct {
	ctrl  uint64
	slots [8]slot
}

func probeMap(row *[nfields]uint64) {
	sm := *(**swissMap)(unsafe.Pointer(&m))
	if sm == nil {
		row[${S.nil}] = 1
		return
	}
	row[${S.used}] = sm.used
	row[${S.dirLen}] = uint64(sm.dirLen)
	row[${S.globalDepth}] = uint64(sm.globalDepth)
	if sm.dirLen == 0 {
		row[${S.small}] = 1
		return
	}
	dir := unsafe.Slice((**swissTable)(sm.dirPtr), sm.dirLen)
	var prev *swissTable
	for _, t := range dir {
		if t == prev {
			continue
		}
		prev = t
		row[${S.tables}]++
		row[${S.capacity}] += uint64(t.capacity)
		row[${S.growthLeft}] += uint64(t.growthLeft)
		groups := unsafe.Slice((*group)(t.groups), t.lengthMask+1)
		for g := range groups {
			ctrl := groups[g].ctrl
			for b := 0; b < 8; b++ {
				if byte(ctrl>>(8*b)) == 0xFE {
					row[${S.tombstones}]++
				}
			}
		}
	}
}`;

/**
 * The complete Go program for a checked scenario, for Go release `go` ("1.23").
 * Deterministic: the same scenario and release give the same text.
 */
export function generateProgram(checked: CheckedScenario, go: string, name = "scenario"): string {
  const minor = minorVersion(go);
  const swiss = isSwiss(go);
  const { keyType, elemType, labels, scenario } = checked;
  const fields = fieldsFor(go);
  const keySpec = scenario.lengths?.key;
  const elemSpec = scenario.lengths?.elem;
  const keyLegacy = isLegacy(keyType, keySpec);
  const elemLegacy = isLegacy(elemType, elemSpec);
  const st: BuildState = { strLens: new Set(), lookupBufs: [] };
  const keyFn = keyLegacy
    ? valueFunction("key", "K", keyType, "key")
    : builtFunction("key", "K", keyType, keySpec, st, "value");
  const elemFn = elemLegacy
    ? valueFunction("elem", "V", elemType, "elem")
    : builtFunction("elem", "V", elemType, elemSpec, st, "value");
  const keyIsString = keyLegacy && keyType.kind === "basic" && keyType.name === "string";
  const elemIsString = elemLegacy && elemType.kind === "basic" && elemType.name === "string";
  const needDigits = keyIsString || elemIsString;
  const ks = storedIndirectly(keyType) ? "unsafe.Pointer" : "K";
  const vs = storedIndirectly(elemType) ? "unsafe.Pointer" : "V";
  const uses = (...ops: string[]): boolean => scenario.steps.some((st) => ops.includes(st.op));

  const lookup = keyIsString
    ? [
        "// lookupKey returns key(i) as a string that points at a global buffer, so",
        "// that a delete allocates nothing. The map does not keep it.",
        "var lookupBuf [16]byte",
        "",
        "func lookupKey(i int) K {",
        "\tdigits16(&lookupBuf, i)",
        "\ths := struct {",
        "\t\tdata unsafe.Pointer",
        "\t\tlen  int",
        "\t}{unsafe.Pointer(&lookupBuf), 16}",
        "\treturn *(*string)(unsafe.Pointer(&hs))",
        "}",
      ].join("\n")
    : !keyLegacy && !pointsNowhere(keyType)
      ? builtFunction("lookupKey", "K", keyType, keySpec, st, "lookup")
      : "func lookupKey(i int) K { return key(i) }";

  const parts = [
    `// Code generated by tools/go-truth/generate.ts from scenario ${name} for Go ${go}. DO NOT EDIT.`,
    "",
    "package main",
    "",
    "import (",
    '\t"os"',
    '\t"runtime"',
    ...(uses("freeOSMemory", "setMemoryLimit", "setGCPercent") ? ['\t"runtime/debug"'] : []),
    '\t"strconv"',
    '\t"syscall"',
    ...(uses("sleep") ? ['\t"time"'] : []),
    '\t"unsafe"',
    ")",
    "",
    `type K = ${goSource(keyType)}`,
    `type V = ${goSource(elemType)}`,
    "",
    `// KS and VS are how a bucket stores K and V (pointers above 128 bytes).`,
    `type KS = ${ks}`,
    `type VS = ${vs}`,
    "",
    "var m map[K]V",
    "",
    `const nsnapshots = ${labels.length}`,
    `const nfields = ${fields.length} // ${fields.join(", ")}`,
    "",
    "var (",
    "\tmemStats runtime.MemStats",
    "\trows     [nsnapshots + 1][nfields]uint64",
    "\tnrows    int",
    ")",
    "",
    "// Compile-time checks that the mirrored sizes match the types.",
    `var _ = [1]int{}[unsafe.Sizeof(*new(K))-${sizeOf(keyType)}]`,
    `var _ = [1]int{}[unsafe.Sizeof(*new(V))-${sizeOf(elemType)}]`,
    "",
    keyFn,
    "",
    elemFn,
    "",
    lookup,
    "",
    ...stringHelpers(st),
    ...(needDigits
      ? [
          "// digits16 writes i as 16 zero-padded decimal digits, fmt's %016d.",
          "func digits16(b *[16]byte, i int) {",
          "\tu := uint64(i)",
          "\tfor j := 15; j >= 0; j-- {",
          "\t\tb[j] = byte('0' + u%10)",
          "\t\tu /= 10",
          "\t}",
          "}",
          "",
        ]
      : []),
    RSS_PROBE,
    "",
    swiss ? SWISS_PROBE : CLASSIC_PROBE,
    "",
    "//go:noinline",
    "func snapshot() {",
    "\truntime.ReadMemStats(&memStats)",
    "\trow := &rows[nrows]",
    "\tnrows++",
    `\trow[${C.heapAlloc}] = memStats.HeapAlloc`,
    `\trow[${C.numGC}] = uint64(memStats.NumGC)`,
    `\trow[${C.nextGC}] = memStats.NextGC`,
    `\trow[${C.heapObjects}] = memStats.HeapObjects`,
    `\trow[${C.len}] = uint64(len(m))`,
    `\trow[${C.heapInuse}] = memStats.HeapInuse`,
    `\trow[${C.heapIdle}] = memStats.HeapIdle`,
    `\trow[${C.heapReleased}] = memStats.HeapReleased`,
    `\trow[${C.heapSys}] = memStats.HeapSys`,
    `\trow[${C.sys}] = memStats.Sys`,
    `\trow[${C.rss}] = rss()`,
    "\tprobeMap(row)",
    "}",
    "",
    "func main() {",
    ...scenario.steps.map((s) => stepCode(s, minor)),
    "\truntime.KeepAlive(m)",
    "\tvar out []byte",
    "\tfor _, row := range rows[:nrows] {",
    "\t\tout = append(out, '[')",
    "\t\tfor j, v := range row {",
    "\t\t\tif j > 0 {",
    "\t\t\t\tout = append(out, ',')",
    "\t\t\t}",
    "\t\t\tout = strconv.AppendUint(out, v, 10)",
    "\t\t}",
    "\t\tout = append(out, ']', '\\n')",
    "\t}",
    "\tos.Stdout.Write(out)",
    "}",
    "",
  ];
  return parts.join("\n");
}

/** Parses the program's output into one record per snapshot, keyed by field name. */
export function parseProgramOutput(stdout: string, go: string, expected: number): Record<string, number>[] {
  const fields = fieldsFor(go);
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  if (lines.length !== expected)
    throw new Error(`program printed ${lines.length} snapshots, expected ${expected}`);
  return lines.map((line) => {
    const values = JSON.parse(line) as unknown;
    if (!Array.isArray(values) || values.length !== fields.length)
      throw new Error(`bad snapshot line: ${line}`);
    const row: Record<string, number> = {};
    fields.forEach((f, j) => {
      row[f] = Number(values[j]);
    });
    return row;
  });
}
