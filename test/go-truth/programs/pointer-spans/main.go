package main

import (
	"runtime"
	"runtime/debug"
)

// The pointer elem's hidden cost. map[int]*[128]byte with 500,000 entries: each
// pointee is its own 128-byte object in a span of size class 128 (8 KiB, 64
// objects). Deleting every key but each tenth frees 90% of the objects, but
// every span keeps about six survivors, so no span returns to the page heap:
// HeapAlloc falls, HeapInuse does not, and FreeOSMemory can release only what
// is idle. The same number of deletes as one contiguous range frees whole spans.

var m map[int]*[128]byte

func fill() {
	m = make(map[int]*[128]byte)
	for i := 0; i < 500_000; i++ {
		p := new([128]byte)
		p[0] = byte(i)
		m[i] = p
	}
}

func main() {
	runtime.GC()
	snapshot("start", 0)
	process()
	fill()
	runtime.GC()
	snapshot("scattered-inserted", len(m))
	process()
	for i := 0; i < 500_000; i++ {
		if i%10 != 0 {
			delete(m, i)
		}
	}
	runtime.GC()
	snapshot("scattered-deleted", len(m))
	process()
	debug.FreeOSMemory()
	snapshot("scattered-freed", len(m))
	process()
	m = nil
	runtime.GC()
	debug.FreeOSMemory()
	snapshot("dropped", 0)
	process()
	fill()
	runtime.GC()
	snapshot("contiguous-inserted", len(m))
	process()
	for i := 50_000; i < 500_000; i++ {
		delete(m, i)
	}
	runtime.GC()
	snapshot("contiguous-deleted", len(m))
	process()
	debug.FreeOSMemory()
	snapshot("contiguous-freed", len(m))
	process()
	runtime.KeepAlive(m)
	report()
}
