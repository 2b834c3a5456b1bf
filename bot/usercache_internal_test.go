package bot

import (
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
	c.changed(User{Tenant: "T", ID: "U", Zone: "Asia/Tokyo"}, now) // a save lands meanwhile
	c.put(k, cachedUser{u: User{Tenant: "T", ID: "U", Zone: "Europe/Berlin"}, found: true}, gen, now)
	if e, _, _ := c.get(k, now); e.u.Zone != "Asia/Tokyo" {
		t.Errorf("cached zone = %q, want the saved Asia/Tokyo", e.u.Zone)
	}
}

func TestUserCacheBounded(t *testing.T) {
	c := &userCache{ttl: time.Minute, m: map[userKey]cachedUser{}}
	now := time.Unix(0, 0)
	for i := range maxCachedUsers + 10 {
		c.changed(User{Tenant: "T", ID: UserID(rune('a'+i%26)) + UserID(string(rune(i)))}, now)
	}
	if len(c.m) > maxCachedUsers {
		t.Errorf("holds %d users, max %d", len(c.m), maxCachedUsers)
	}
}
