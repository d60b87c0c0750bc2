package main

import (
	"runtime"
	"time"
)

// sysmon's forced collection. After the article's fix (a million
// map[int][128]byte entries, all but 1,000 deleted, recreated, collected) the
// process does nothing for 130 s. No allocation, so no collection is triggered
// by the heap; sysmon forces one once forcegcperiod (2 minutes, runtime/proc.go)
// has passed since the last, and the scavenger's goal is recomputed from the
// new, small heap goal. NumGC and RSS every 10 s show when that happens.

var m map[int][128]byte

var idle = [...]string{
	"idle-010s-live", "idle-020s-live", "idle-030s-live", "idle-040s-live",
	"idle-050s-live", "idle-060s-live", "idle-070s-live", "idle-080s-live",
	"idle-090s-live", "idle-100s-live", "idle-110s-live", "idle-115s-live",
	"idle-120s-live", "idle-125s-live", "idle-130s-live", "idle-135s-live",
}

func main() {
	m = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		var v [128]byte
		v[0] = byte(i)
		m[i] = v
	}
	for i := 1000; i < 1_000_000; i++ {
		delete(m, i)
	}
	n := make(map[int][128]byte, len(m))
	for k, v := range m {
		n[k] = v
	}
	m = n
	runtime.GC()
	snapshot("recreated", len(m))
	process()
	for i, label := range idle {
		if i < 11 {
			time.Sleep(10 * time.Second)
		} else {
			time.Sleep(5 * time.Second)
		}
		snapshot(label, len(m))
		process()
	}
	runtime.KeepAlive(m)
	report()
}
