package main

import "runtime"

// When does recreating a map cost a second copy? HeapAlloc is read while both
// maps are alive ("-both"), and after the old one is collected. Four cases,
// each starting from a million map[int][128]byte entries:
//
//	drain-10k     drain to 10,000, then recreate
//	half          drain to 500,000, then recreate
//	shards-gc     the same 500,000 spread over 16 maps by key%16, recreated one
//	              shard at a time with runtime.GC() after each shard's copy
//	shards-nogc   the same, with no collection between the shard copies

const nshards = 16

var (
	m      map[int][128]byte
	shards [nshards]map[int][128]byte
)

func recreate(old map[int][128]byte) map[int][128]byte {
	fresh := make(map[int][128]byte, len(old))
	for k, v := range old {
		fresh[k] = v
	}
	return fresh
}

func single(keep int, label, both, after string) {
	m = make(map[int][128]byte)
	for i := 0; i < 1_000_000; i++ {
		m[i] = [128]byte{}
	}
	for i := keep; i < 1_000_000; i++ {
		delete(m, i)
	}
	runtime.GC()
	snapshot(label, len(m))
	n := recreate(m)
	snapshot(both, len(n))
	m = n
	runtime.GC()
	snapshot(after, len(m))
	m = nil
	runtime.GC()
}

func sharded(gcBetween bool, label, peak, after string) {
	for s := range shards {
		shards[s] = make(map[int][128]byte)
	}
	for i := 0; i < 1_000_000; i++ {
		shards[i%nshards][i] = [128]byte{}
	}
	for i := 500_000; i < 1_000_000; i++ {
		delete(shards[i%nshards], i)
	}
	runtime.GC()
	snapshot(label, total())
	var st runtime.MemStats
	var highest uint64
	for s := range shards {
		shards[s] = recreate(shards[s])
		// The old shard is garbage now; HeapAlloc still counts it until a
		// collection: this is the moment both copies of shard s exist.
		runtime.ReadMemStats(&st)
		if st.HeapAlloc > highest {
			highest = st.HeapAlloc
		}
		if gcBetween {
			runtime.GC()
		}
	}
	snapshot(peak, total())
	note("highestHeapAlloc", highest)
	runtime.GC()
	snapshot(after, total())
	for s := range shards {
		shards[s] = nil
	}
	runtime.GC()
}

func total() int {
	n := 0
	for _, s := range shards {
		n += len(s)
	}
	return n
}

func main() {
	runtime.GC()
	snapshot("base", 0)
	single(10_000, "drain-10k", "drain-10k-both-live", "drain-10k-recreated")
	single(500_000, "half", "half-both-live", "half-recreated")
	sharded(true, "shards-gc", "shards-gc-copied-live", "shards-gc-recreated")
	sharded(false, "shards-nogc", "shards-nogc-copied-live", "shards-nogc-recreated")
	report()
}
