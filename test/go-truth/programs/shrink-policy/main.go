package main

import "runtime"

// The workload of the chapter's shrink-policy cell, run twice: on a plain map,
// which never shrinks, and on a shrinkingMap. Fill 300,000 entries, drain to
// 10,000, add 60,000 more, delete 55,000 of them.

var (
	plain map[int][128]byte
	s     *shrinkingMap
)

func elem(i int) (v [128]byte) {
	v[0] = byte(i)
	return v
}

func main() {
	runtime.GC()
	snapshot("base", 0)

	plain = make(map[int][128]byte)
	for k := 0; k < 300_000; k++ {
		plain[k] = elem(k)
	}
	runtime.GC()
	snapshot("plain-filled", len(plain))
	for k := 10_000; k < 300_000; k++ {
		delete(plain, k)
	}
	runtime.GC()
	snapshot("plain-drained", len(plain))
	for k := 300_000; k < 360_000; k++ {
		plain[k] = elem(k)
	}
	for k := 300_000; k < 355_000; k++ {
		delete(plain, k)
	}
	runtime.GC()
	snapshot("plain-end", len(plain))
	plain = nil
	runtime.GC()
	snapshot("plain-dropped", 0)

	s = newShrinkingMap()
	for k := 0; k < 300_000; k++ {
		s.set(k, elem(k))
	}
	runtime.GC()
	snapshot("shrink-filled", len(s.m))
	note("copies", uint64(s.copies))
	note("peak", uint64(s.peak))
	for k := 10_000; k < 300_000; k++ {
		s.delete(k)
	}
	runtime.GC()
	snapshot("shrink-drained", len(s.m))
	note("copies", uint64(s.copies))
	note("peak", uint64(s.peak))
	for k := 300_000; k < 360_000; k++ {
		s.set(k, elem(k))
	}
	for k := 300_000; k < 355_000; k++ {
		s.delete(k)
	}
	runtime.GC()
	snapshot("shrink-end", len(s.m))
	note("copies", uint64(s.copies))
	note("peak", uint64(s.peak))
	runtime.KeepAlive(s)
	report()
}
