package main

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// What an emptied map costs the collector. Each map gets a million entries,
// all deleted; then twenty forced collections are timed. /gc/scan/heap:bytes is
// the heap memory the collector has to scan (Go 1.21+): buckets whose keys or
// elems hold pointers stay on it, empty or not; pointer-free buckets do not.

var (
	ints map[int][128]byte  // no pointers in the buckets
	ptrs map[int]*[128]byte // a pointer in every elem slot
	strs map[string]string  // pointers in keys and elems
)

// name is i as 16 decimal digits, a fresh 16-byte string.
func name(i int) string {
	var b [16]byte
	for j := 15; j >= 0; j, i = j-1, i/10 {
		b[j] = byte('0' + i%10)
	}
	return string(b[:])
}

var samples = []metrics.Sample{
	{Name: "/gc/scan/heap:bytes"},
	{Name: "/cpu/classes/gc/total:cpu-seconds"},
}

// measure records the scannable heap, then the GC CPU time and wall time of
// twenty runtime.GC() calls, as notes on the snapshot just taken.
func measure() {
	metrics.Read(samples)
	note("scanHeapBytes", samples[0].Value.Uint64())
	cpu0 := samples[1].Value.Float64()
	t0 := time.Now()
	for i := 0; i < 20; i++ {
		runtime.GC()
	}
	wall := time.Since(t0)
	metrics.Read(samples)
	note("gcCPUns20", uint64((samples[1].Value.Float64()-cpu0)*1e9))
	note("wallNs20", uint64(wall.Nanoseconds()))
}

func main() {
	runtime.GC()
	snapshot("base", 0)
	measure()

	ints = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		ints[i] = [128]byte{}
	}
	for i := 0; i < 1_000_000; i++ {
		delete(ints, i)
	}
	runtime.GC()
	snapshot("int-128-deleted", len(ints))
	measure()
	ints = nil

	ptrs = make(map[int]*[128]byte)
	for i := 0; i < 1_000_000; i++ {
		ptrs[i] = new([128]byte)
	}
	for i := 0; i < 1_000_000; i++ {
		delete(ptrs, i)
	}
	runtime.GC()
	snapshot("int-ptr-deleted", len(ptrs))
	measure()
	ptrs = nil

	strs = make(map[string]string)
	for i := 0; i < 1_000_000; i++ {
		k := name(i)
		strs[k] = k
	}
	for i := 0; i < 1_000_000; i++ {
		delete(strs, name(i))
	}
	runtime.GC()
	snapshot("string-string-deleted", len(strs))
	measure()
	strs = nil

	runtime.GC()
	snapshot("dropped", 0)
	measure()
	report()
}
