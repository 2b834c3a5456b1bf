package routines

import "testing"

// A level draws the variants at it before easier ones: at home, a bridge
// in a routine is the exercise-ball bridge for someone at the moderate
// level and the floor bridge for a beginner, and moderate routines carry
// more moderate exercises than routines without a level.
func TestLevelDrawsHarderVariants(t *testing.T) {
	lib := Default()
	count := func(level, ceiling string) (moderate, ball, floor int) {
		for seed := uint64(0); seed < 300; seed++ {
			r, err := lib.Build(Request{Minutes: 20, Place: Home, Level: level, Difficulty: ceiling, Seed: seed})
			if err != nil {
				t.Fatalf("Build(level %q, seed %d): %v", level, seed, err)
			}
			for _, it := range r.Items {
				if it.Exercise.Difficulty == Moderate {
					moderate++
				}
				switch it.Exercise.ID {
				case "exercise-ball-bridge":
					ball++
				case "floor-bridge":
					floor++
				}
			}
		}
		return moderate, ball, floor
	}
	easyMod, easyBall, easyFloor := count(Easy, Easy)
	modMod, modBall, modFloor := count(Moderate, Moderate)
	anyMod, _, _ := count("", "")
	if easyMod != 0 || easyBall != 0 {
		t.Errorf("easy level: %d moderate items, %d ball bridges; want none", easyMod, easyBall)
	}
	if easyFloor == 0 {
		t.Errorf("easy level never drew the floor bridge")
	}
	if modBall == 0 || modBall <= modFloor {
		t.Errorf("moderate level: %d ball bridges, %d floor bridges; want the ball bridge first", modBall, modFloor)
	}
	if modMod <= anyMod {
		t.Errorf("moderate level drew %d moderate items, no level %d; want more", modMod, anyMod)
	}
}
