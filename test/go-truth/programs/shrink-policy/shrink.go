package main

// shrinkingMap is a map[int][128]byte that gives memory back: once len falls
// below a quarter of the largest len seen since the last copy, delete copies
// the survivors into a fresh map sized for them and drops the old one.
type shrinkingMap struct {
	m      map[int][128]byte
	peak   int // the largest len since the last copy
	copies int // how many times delete has copied
}

func newShrinkingMap() *shrinkingMap {
	return &shrinkingMap{m: make(map[int][128]byte)}
}

func (s *shrinkingMap) set(k int, v [128]byte) {
	s.m[k] = v
	if len(s.m) > s.peak {
		s.peak = len(s.m)
	}
}

func (s *shrinkingMap) delete(k int) {
	delete(s.m, k)
	if s.peak > 1024 && len(s.m) < s.peak/4 {
		fresh := make(map[int][128]byte, len(s.m))
		for k, v := range s.m {
			fresh[k] = v
		}
		s.m, s.peak = fresh, len(fresh)
		s.copies++
	}
}
