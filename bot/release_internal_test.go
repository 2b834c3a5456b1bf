package bot

import (
	"reflect"
	"strconv"
	"testing"
	"time"
)

// ReleaseMemory drops expired entries from every cache, keeps the fresh
// ones, and moves them to maps of their size.
func TestReleaseMemorySweepsTheCaches(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	clock := &stepClock{t0}
	b := &Bot{clock: clock,
		users:     &userCache{ttl: time.Minute, m: map[userKey]cachedUser{}},
		rotations: &rotationCache{ttl: time.Minute, m: map[rotationKey]cachedRotation{}},
		lists:     &listCache{ttl: time.Minute, m: map[ReminderFilter]cachedList{}}}
	for i := range 1000 {
		expires := t0.Add(time.Minute)
		if i < 10 {
			expires = t0.Add(time.Hour)
		}
		id := strconv.Itoa(i)
		b.users.m[userKey{"T", UserID(id)}] = cachedUser{found: true, expires: expires}
		b.rotations.m[rotationKey{"T", id}] = cachedRotation{expires: expires}
		b.lists.m[ReminderFilter{Tenant: "T", Owner: UserID(id)}] = cachedList{expires: expires}
	}
	before := reflect.ValueOf(b.users.m).UnsafePointer()
	clock.now = t0.Add(30 * time.Second)
	b.ReleaseMemory(t.Context())
	if len(b.users.m) != 1000 || reflect.ValueOf(b.users.m).UnsafePointer() != before {
		t.Fatalf("before anything expired: %d users cached, or the map was replaced", len(b.users.m))
	}
	clock.now = t0.Add(2 * time.Minute)
	b.ReleaseMemory(t.Context())
	if n, r, l := len(b.users.m), len(b.rotations.m), len(b.lists.m); n != 10 || r != 10 || l != 10 {
		t.Fatalf("after a sweep: %d users, %d rotations, %d lists; want the 10 fresh of each", n, r, l)
	}
	if reflect.ValueOf(b.users.m).UnsafePointer() == before {
		t.Error("the map that held 1000 users is kept for 10")
	}
	if e, _, ok := b.users.get(userKey{"T", "3"}, clock.now); !ok || !e.found {
		t.Error("a fresh user is gone after the sweep")
	}
	clock.now = t0.Add(2 * time.Hour)
	b.ReleaseMemory(t.Context())
	if n := len(b.users.m) + len(b.rotations.m) + len(b.lists.m); n != 0 {
		t.Errorf("%d entries left once all expired", n)
	}
	// A Bot without caches has nothing to release.
	(&Bot{clock: clock}).ReleaseMemory(t.Context())
}
