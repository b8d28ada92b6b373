package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
)

// The page metrics of a (truth, output) pair never change, and ROUGE-LSum
// is costly on long pages (its LCS tables grow with the product of the two
// texts' lengths: a 26,000-word cleaneval page takes most of a second). So
// the scores are kept in a cache file under the user's cache folder, keyed
// by the SHA-256 of the metric version, the truth and the output; the dev
// loop then rescores only the pages whose output changed. -nocache skips it.

// metricVersion names the metrics' definitions: change it whenever
// metrics.go or the shingle metric changes what they compute.
const metricVersion = "shingle4 para rougeLsum v1"

const cacheMagic = "extractbench page scores v1\n"

// cacheKeep is the most entries kept from earlier runs; the entries this
// run used are always kept.
const cacheKeep = 400000

type scores [4]float64 // shingle precision, recall, paragraph F1, ROUGE-LSum F

type scoreCache struct {
	mu    sync.Mutex
	path  string
	m     map[[32]byte]scores
	used  map[[32]byte]bool
	dirty bool
}

func cacheKey(truthText, text, paras string) [32]byte {
	h := sha256.New()
	for _, s := range []string{metricVersion, truthText, text, paras} {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		io.WriteString(h, s)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// openCache reads the cache file; any failure gives an empty cache. A nil
// cache (-nocache) is valid and caches nothing.
func openCache() *scoreCache {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	c := &scoreCache{path: filepath.Join(dir, "newsdesk-extractbench", "scores.bin"), m: map[[32]byte]scores{}, used: map[[32]byte]bool{}}
	f, err := os.Open(c.path)
	if err != nil {
		return c
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != cacheMagic {
		return c
	}
	var buf [64]byte
	for {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			break
		}
		var k [32]byte
		var v scores
		copy(k[:], buf[:32])
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[32+8*i:]))
		}
		c.m[k] = v
	}
	return c
}

func (c *scoreCache) get(k [32]byte) (scores, bool) {
	if c == nil {
		return scores{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if ok {
		c.used[k] = true
	}
	return v, ok
}

func (c *scoreCache) put(k [32]byte, v scores) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k], c.used[k], c.dirty = v, true, true
}

// save writes the cache back when this run added to it: the entries it
// used, and the others while there are at most cacheKeep in all.
func (c *scoreCache) save() error {
	if c == nil || !c.dirty {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), "scores-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	w.WriteString(cacheMagic)
	n := 0
	for k, v := range c.m {
		if !c.used[k] && n >= cacheKeep-len(c.used) {
			continue
		}
		var buf [64]byte
		copy(buf[:32], k[:])
		for i := range v {
			binary.LittleEndian.PutUint64(buf[32+8*i:], math.Float64bits(v[i]))
		}
		w.Write(buf[:])
		if !c.used[k] {
			n++
		}
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}
