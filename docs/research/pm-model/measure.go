// Measurements behind the model's process-memory rules (docs/model.md, "Process memory").
// go run measure.go EXPERIMENT  — prints one JSON line per snapshot.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

var start = time.Now()

func rss() uint64 {
	b, _ := os.ReadFile("/proc/self/statm")
	f := strings.Fields(string(b))
	n, _ := strconv.ParseUint(f[1], 10, 64)
	return n * uint64(os.Getpagesize())
}

func snap(label string) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out, _ := json.Marshal(map[string]any{
		"label": label, "ms": time.Since(start).Milliseconds(),
		"heapAlloc": ms.HeapAlloc, "heapInuse": ms.HeapInuse, "heapIdle": ms.HeapIdle,
		"heapReleased": ms.HeapReleased, "heapSys": ms.HeapSys, "sys": ms.Sys, "rss": rss(),
		"numGC": ms.NumGC, "nextGC": ms.NextGC, "stackSys": ms.StackSys, "mspanSys": ms.MSpanSys,
		"gcSys": ms.GCSys, "otherSys": ms.OtherSys, "buckHashSys": ms.BuckHashSys, "mcacheSys": ms.MCacheSys,
	})
	fmt.Println(string(out))
}

func idle(label string, total, every time.Duration) {
	for t := every; t <= total; t += every {
		time.Sleep(every)
		snap(fmt.Sprintf("%s+%dms", label, t.Milliseconds()))
	}
}

var sinkInt map[int][128]byte
var sinkPtr map[int]*[128]byte

func main() {
	exp := os.Args[1]
	runtime.GC()
	snap("base")
	switch exp {
	case "base":
		idle("idle", 3*time.Second, time.Second)
	case "article":
		m := make(map[int][128]byte)
		for i := 0; i < 1000000; i++ {
			var v [128]byte
			v[0] = byte(i)
			m[i] = v
		}
		runtime.GC()
		snap("full")
		n := make(map[int][128]byte, 1000)
		for i := 0; i < 1000; i++ {
			n[i] = m[i]
		}
		m = nil
		sinkInt = n
		runtime.GC()
		snap("recreated")
		idle("idle", 8*time.Second, 250*time.Millisecond)
		debug.FreeOSMemory()
		snap("freed")
	case "article-long":
		m := make(map[int][128]byte)
		for i := 0; i < 1000000; i++ {
			var v [128]byte
			v[0] = byte(i)
			m[i] = v
		}
		runtime.GC()
		snap("full")
		n := make(map[int][128]byte, 1000)
		for i := 0; i < 1000; i++ {
			n[i] = m[i]
		}
		m = nil
		sinkInt = n
		runtime.GC()
		snap("recreated")
		idle("idle", 130*time.Second, 5*time.Second)
	case "ptr-scattered", "ptr-contiguous":
		m := make(map[int]*[128]byte)
		for i := 0; i < 500000; i++ {
			v := new([128]byte)
			v[0] = byte(i)
			m[i] = v
		}
		runtime.GC()
		snap("full")
		for i := 0; i < 500000; i++ {
			if exp == "ptr-scattered" && i%10 != 0 || exp == "ptr-contiguous" && i >= 50000 {
				delete(m, i)
			}
		}
		sinkPtr = m
		runtime.GC()
		snap("deleted")
		debug.FreeOSMemory()
		snap("freed")
	case "limit":
		debug.SetMemoryLimit(200 << 20)
		m := make(map[int][128]byte)
		for i := 0; i < 1000000; i++ {
			var v [128]byte
			v[0] = byte(i)
			m[i] = v
		}
		runtime.GC()
		snap("full")
		n := make(map[int][128]byte, 1000)
		for i := 0; i < 1000; i++ {
			n[i] = m[i]
		}
		m = nil
		sinkInt = n
		runtime.GC()
		snap("recreated")
		idle("idle", 5*time.Second, 500*time.Millisecond)
	case "grow":
		// HeapSys steps: 64 KiB objects one by one.
		var keep [][]byte
		for i := 0; i < 400; i++ {
			keep = append(keep, make([]byte, 64<<10))
			if i%20 == 0 {
				snap(fmt.Sprintf("n%d", i))
			}
		}
		runtime.KeepAlive(keep)
	}
}
