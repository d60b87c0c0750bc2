package main

import (
	"maps"
	"runtime"
)

// maps.Clone against a hand-written recreate, after draining a million
// map[int][128]byte entries down to 1,000 survivors.

var m, c map[int][128]byte

func fillAndDrain() {
	m = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		m[i] = [128]byte{}
	}
	for i := 1_000; i < 1_000_000; i++ {
		delete(m, i)
	}
}

func main() {
	runtime.GC()
	snapshot("base", 0)

	fillAndDrain()
	runtime.GC()
	snapshot("drained", len(m))
	c = maps.Clone(m)
	runtime.GC()
	snapshot("cloned-both", len(c))
	m = nil
	runtime.GC()
	snapshot("cloned", len(c))
	c = nil
	runtime.GC()
	snapshot("clone-dropped", 0)

	fillAndDrain()
	runtime.GC()
	snapshot("drained-again", len(m))
	n := make(map[int][128]byte, len(m))
	for k, v := range m {
		n[k] = v
	}
	c = n
	runtime.GC()
	snapshot("recreated-both", len(c))
	m = nil
	runtime.GC()
	snapshot("recreated", len(c))
	runtime.KeepAlive(c)
	report()
}
