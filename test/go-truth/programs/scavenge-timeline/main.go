package main

import (
	"runtime"
	"runtime/debug"
	"time"
)

// The RSS timeline after the article's fix. A million map[int][128]byte entries
// (each elem's first byte written, as a real program writes its values), all but
// 1,000 deleted, the map recreated and collected; then the process idles and RSS
// is sampled every 250 ms for 6 s, while the background scavenger returns pages;
// last, debug.FreeOSMemory().

var m map[int][128]byte

var idle = [...]string{
	"idle-0250-live", "idle-0500-live", "idle-0750-live", "idle-1000-live",
	"idle-1250-live", "idle-1500-live", "idle-1750-live", "idle-2000-live",
	"idle-2250-live", "idle-2500-live", "idle-2750-live", "idle-3000-live",
	"idle-3250-live", "idle-3500-live", "idle-3750-live", "idle-4000-live",
	"idle-4250-live", "idle-4500-live", "idle-4750-live", "idle-5000-live",
	"idle-5250-live", "idle-5500-live", "idle-5750-live", "idle-6000-live",
}

func main() {
	runtime.GC()
	snapshot("start", 0)
	process()
	m = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		var v [128]byte
		v[0] = byte(i)
		m[i] = v
	}
	snapshot("inserted-live", len(m))
	process()
	runtime.GC()
	snapshot("inserted", len(m))
	process()
	for i := 1000; i < 1_000_000; i++ {
		delete(m, i)
	}
	runtime.GC()
	snapshot("deleted", len(m))
	process()
	n := make(map[int][128]byte, len(m))
	for k, v := range m {
		n[k] = v
	}
	m = n
	runtime.GC()
	snapshot("recreated", len(m))
	process()
	for _, label := range idle {
		time.Sleep(250 * time.Millisecond)
		snapshot(label, len(m))
		process()
	}
	debug.FreeOSMemory()
	snapshot("freed", len(m))
	process()
	runtime.KeepAlive(m)
	report()
}
