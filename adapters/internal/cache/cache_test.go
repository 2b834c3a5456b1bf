package cache

import (
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestExpiresAndStaysBounded(t *testing.T) {
	now := time.Unix(1700000000, 0)
	c := New[int](3)
	c.Put("a", 1, time.Minute, now)
	if v, ok := c.Get("a", now.Add(59*time.Second)); !ok || v != 1 {
		t.Errorf("Get before expiry = %v, %v", v, ok)
	}
	if _, ok := c.Get("a", now.Add(time.Minute)); ok {
		t.Error("entry outlived its ttl")
	}
	if _, ok := c.Get("missing", now); ok {
		t.Error("a missing key was found")
	}
	// Full: expired entries make room first.
	c.Put("b", 2, time.Hour, now)
	c.Put("c", 3, time.Hour, now)
	c.Put("d", 4, time.Hour, now.Add(2*time.Minute)) // "a" has expired
	if c.Len() != 3 {
		t.Errorf("Len = %d, want 3", c.Len())
	}
	if v, ok := c.Get("b", now.Add(2*time.Minute)); !ok || v != 2 {
		t.Error("a live entry was dropped while an expired one could go")
	}
	// Full of live entries: cleared.
	for i := range 10 {
		c.Put(strconv.Itoa(i), i, time.Hour, now)
		if c.Len() > 3 {
			t.Fatalf("Len = %d, max 3", c.Len())
		}
	}
	// Replacing a key never evicts.
	c.Put("9", 90, time.Hour, now)
	if v, _ := c.Get("9", now); v != 90 {
		t.Errorf("replaced value = %d", v)
	}
}

// Sweep drops expired entries and moves the rest to a map of their size.
func TestSweepGivesRoomBack(t *testing.T) {
	c := New[int](10000)
	now := time.Unix(0, 0)
	for i := range 1000 {
		ttl := time.Minute
		if i%10 == 0 {
			ttl = time.Hour
		}
		c.Put(strconv.Itoa(i), i, ttl, now)
	}
	before := reflect.ValueOf(c.m).UnsafePointer()
	c.Sweep(now.Add(30 * time.Second))
	if c.Len() != 1000 || reflect.ValueOf(c.m).UnsafePointer() != before {
		t.Fatalf("a sweep before anything expired left %d entries or replaced the map", c.Len())
	}
	c.Sweep(now.Add(2 * time.Minute))
	if c.Len() != 100 {
		t.Fatalf("%d entries after the sweep, want the 100 unexpired", c.Len())
	}
	if reflect.ValueOf(c.m).UnsafePointer() == before {
		t.Error("the map that held 1000 entries is kept for 100")
	}
	if v, ok := c.Get("10", now.Add(2*time.Minute)); !ok || v != 10 {
		t.Errorf("Get(10) = %d, %v after the sweep; want 10, true", v, ok)
	}
	c.Sweep(now.Add(2 * time.Hour))
	if c.Len() != 0 {
		t.Fatalf("%d entries once all expired", c.Len())
	}
	c.Put("a", 1, time.Minute, now.Add(2*time.Hour))
	if v, ok := c.Get("a", now.Add(2*time.Hour)); !ok || v != 1 {
		t.Error("the cache does not work after an empty sweep")
	}
}
