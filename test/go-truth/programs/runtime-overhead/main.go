package main

import (
	"runtime"
	"runtime/debug"
)

// What a Go process holds before its map: the runtime's own memory (Sys −
// HeapSys: stacks, span and cache metadata, GC bitmaps, the profiling hash),
// the resident set of an empty program, and how HeapSys grows while a map of
// a million [128]byte entries is filled (a snapshot every 25,000 inserts).

var m map[int][128]byte

var grow = [...]string{
	"ins-0025k-live", "ins-0050k-live", "ins-0075k-live", "ins-0100k-live",
	"ins-0125k-live", "ins-0150k-live", "ins-0175k-live", "ins-0200k-live",
	"ins-0225k-live", "ins-0250k-live", "ins-0275k-live", "ins-0300k-live",
	"ins-0325k-live", "ins-0350k-live", "ins-0375k-live", "ins-0400k-live",
	"ins-0425k-live", "ins-0450k-live", "ins-0475k-live", "ins-0500k-live",
	"ins-0525k-live", "ins-0550k-live", "ins-0575k-live", "ins-0600k-live",
	"ins-0625k-live", "ins-0650k-live", "ins-0675k-live", "ins-0700k-live",
	"ins-0725k-live", "ins-0750k-live", "ins-0775k-live", "ins-0800k-live",
	"ins-0825k-live", "ins-0850k-live", "ins-0875k-live", "ins-0900k-live",
	"ins-0925k-live", "ins-0950k-live", "ins-0975k-live", "ins-1000k-live",
}

func main() {
	snapshot("init-live", 0)
	process()
	runtime.GC()
	snapshot("start", 0)
	process()
	note("stackSysBytes", ms.StackSys)
	note("mSpanSysBytes", ms.MSpanSys)
	note("mCacheSysBytes", ms.MCacheSys)
	note("buckHashSysBytes", ms.BuckHashSys)
	note("gcSysBytes", ms.GCSys)
	note("otherSysBytes", ms.OtherSys)
	debug.FreeOSMemory()
	snapshot("start-freed", 0)
	process()
	m = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		var v [128]byte
		v[0] = byte(i)
		m[i] = v
		if (i+1)%25_000 == 0 {
			snapshot(grow[i/25_000], len(m))
			process()
		}
	}
	runtime.GC()
	snapshot("inserted", len(m))
	process()
	note("stackSysBytes", ms.StackSys)
	note("mSpanSysBytes", ms.MSpanSys)
	note("mCacheSysBytes", ms.MCacheSys)
	note("buckHashSysBytes", ms.BuckHashSys)
	note("gcSysBytes", ms.GCSys)
	note("otherSysBytes", ms.OtherSys)
	runtime.KeepAlive(m)
	report()
}
