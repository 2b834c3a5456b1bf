package sqlstore

import "testing"

// A batch splits into statements that pad at most a quarter of their rows.
func TestStatementRows(t *testing.T) {
	for n, want := range map[int][]int{
		1: {1}, 3: {3}, 5: {5}, 12: {12}, 20: {16, 4}, 6: {6}, 250: {250}, 256: {256}, 300: {256, 32, 12},
		390: {256, 128, 6}, 500: {256, 244}, 1000: {256, 256, 256, 232},
	} {
		var got []int
		for rest := n; rest > 0; {
			k := statementRows(rest)
			got = append(got, k)
			rest -= k
		}
		if len(got) != len(want) {
			t.Errorf("statementRows split %d as %v, want %v", n, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("statementRows split %d as %v, want %v", n, got, want)
				break
			}
		}
	}
}
