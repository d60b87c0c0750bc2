package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// The article's program, with a heap profile written after the final
// runtime.GC(): go tool pprof -sample_index=inuse_space shows what is still
// in use and which line allocated it.

var m map[int][128]byte

func main() {
	m = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		m[i] = [128]byte{}
	}
	for i := 0; i < 1_000_000; i++ {
		delete(m, i)
	}
	runtime.GC()
	snapshot("deleted", len(m))

	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
	f.Close()
	runtime.KeepAlive(m)
	report()
}
