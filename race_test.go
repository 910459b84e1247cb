//go:build race

package easemob_test

const raceEnabled = true
