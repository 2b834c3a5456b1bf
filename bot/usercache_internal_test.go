package bot

import (
	"strconv"
	"testing"
	"time"
)

// A read that began before a change does not put back the old user.
func TestUserCacheReadRacingAChange(t *testing.T) {
	c := &userCache{ttl: time.Minute, m: map[userKey]cachedUser{}}
	now := time.Unix(0, 0)
	k := userKey{"T", "U"}
	_, gen, ok := c.get(k, now) // a reader misses and goes to the store
	if ok {
		t.Fatal("empty cache hit")
	}
	c.forget(k) // a save lands meanwhile
	c.put(k, cachedUser{u: User{Tenant: "T", ID: "U", Zone: "Europe/Berlin"}, found: true}, gen, now)
	if e, _, ok := c.get(k, now); ok {
		t.Errorf("the read from before the save put back %+v", e.u)
	}
}

func TestUserCacheBounded(t *testing.T) {
	c := &userCache{ttl: time.Minute, m: map[userKey]cachedUser{}}
	now := time.Unix(0, 0)
	for i := range maxCachedUsers + 10 {
		_, gen, _ := c.get(userKey{"T", UserID(strconv.Itoa(i))}, now)
		c.put(userKey{"T", UserID(strconv.Itoa(i))}, cachedUser{found: true}, gen, now)
	}
	if len(c.m) > maxCachedUsers {
		t.Errorf("holds %d users, max %d", len(c.m), maxCachedUsers)
	}
}
