// Code copied by tools/go-truth/program.ts next to a committed program's files. DO NOT EDIT THERE.

package main

// The measuring probe every committed program shares. snapshot and note store
// into package-level arrays and allocate nothing, so they do not move
// HeapAlloc; report prints what was stored, one line per snapshot:
//
//	snapshot<TAB>LABEL<TAB>heapAlloc=N<TAB>numGC=N<TAB>nextGC=N<TAB>heapObjects=N<TAB>len=N[<TAB>KEY=N ...]
//
// Labels and keys must be string constants (storing a constant allocates nothing).

import (
	"os"
	"runtime"
	"strconv"
)

const (
	maxSnapshots = 256
	maxNotes     = 16
)

type probeRow struct {
	label                                 string
	heapAlloc, numGC, nextGC, heapObjects uint64
	length                                uint64
	nnotes                                int
	noteKeys                              [maxNotes]string
	noteValues                            [maxNotes]uint64
}

var (
	probeStats runtime.MemStats
	probeRows  [maxSnapshots]probeRow
	probeN     int
)

// snapshot records runtime.MemStats and a map's len under label.
//
//go:noinline
func snapshot(label string, length int) {
	runtime.ReadMemStats(&probeStats)
	r := &probeRows[probeN]
	probeN++
	r.label = label
	r.heapAlloc = probeStats.HeapAlloc
	r.numGC = uint64(probeStats.NumGC)
	r.nextGC = probeStats.NextGC
	r.heapObjects = probeStats.HeapObjects
	r.length = uint64(length)
}

// note attaches KEY=v to the last snapshot.
func note(key string, v uint64) {
	r := &probeRows[probeN-1]
	r.noteKeys[r.nnotes] = key
	r.noteValues[r.nnotes] = v
	r.nnotes++
}

// report prints every snapshot; call it last.
func report() {
	var out []byte
	for i := range probeRows[:probeN] {
		r := &probeRows[i]
		out = append(out, "snapshot\t"...)
		out = append(out, r.label...)
		field := func(k string, v uint64) {
			out = append(out, '\t')
			out = append(out, k...)
			out = append(out, '=')
			out = strconv.AppendUint(out, v, 10)
		}
		field("heapAlloc", r.heapAlloc)
		field("numGC", r.numGC)
		field("nextGC", r.nextGC)
		field("heapObjects", r.heapObjects)
		field("len", r.length)
		for j := 0; j < r.nnotes; j++ {
			field(r.noteKeys[j], r.noteValues[j])
		}
		out = append(out, '\n')
	}
	os.Stdout.Write(out)
}
