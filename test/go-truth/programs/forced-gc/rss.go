package main

import (
	"os"
	"runtime"
	"syscall"
)

// Process memory as the kernel sees it, read without allocating: /proc/self/statm
// is opened once, before the first snapshot, and re-read with pread into a fixed
// buffer. Its second field is the resident set in pages (what top's RES and a
// container's memory.current count, file pages aside).

var (
	statmFD  = -1
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

// rss returns the resident set size in bytes.
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
}

var ms runtime.MemStats

// process attaches the runtime's view of its memory and the kernel's RSS to the
// last snapshot.
func process() {
	runtime.ReadMemStats(&ms)
	note("heapInuseBytes", ms.HeapInuse)
	note("heapIdleBytes", ms.HeapIdle)
	note("heapReleasedBytes", ms.HeapReleased)
	note("heapSysBytes", ms.HeapSys)
	note("sysBytes", ms.Sys)
	note("rssBytes", rss())
}
