package main

import "runtime"

// When the runtime's own heap grows by a few KiB, and why. A small map is filled
// once; then forty collections run with nothing else changing, each followed by a
// snapshot noting how many OS threads the runtime has created so far
// (runtime.ThreadCreateProfile counts every m). A step in HeapAlloc that follows
// the thread count going from four to five is the new thread's heap objects:
// allocm's m and the g structs of its g0 and gsignal.

var (
	m    map[int][128]byte
	sink []byte
)

var labels = [...]string{
	"gc-01",
	"gc-02",
	"gc-03",
	"gc-04",
	"gc-05",
	"gc-06",
	"gc-07",
	"gc-08",
	"gc-09",
	"gc-10",
	"gc-11",
	"gc-12",
	"gc-13",
	"gc-14",
	"gc-15",
	"gc-16",
	"gc-17",
	"gc-18",
	"gc-19",
	"gc-20",
	"gc-21",
	"gc-22",
	"gc-23",
	"gc-24",
	"gc-25",
	"gc-26",
	"gc-27",
	"gc-28",
	"gc-29",
	"gc-30",
	"gc-31",
	"gc-32",
	"gc-33",
	"gc-34",
	"gc-35",
	"gc-36",
	"gc-37",
	"gc-38",
	"gc-39",
	"gc-40",
}

func main() {
	runtime.GC()
	m = make(map[int][128]byte)
	for i := 0; i < 1000; i++ {
		m[i] = [128]byte{byte(i)}
	}
	for _, label := range labels {
		sink = make([]byte, 1<<20) // garbage for the collector, as a program makes
		sink = nil
		runtime.GC()
		snapshot(label, len(m))
		threads, _ := runtime.ThreadCreateProfile(nil)
		note("threads", uint64(threads))
	}
	report()
}
