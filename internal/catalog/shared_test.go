package catalog_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDataMatchesShared checks that the in-repo copies of the reference
// documents (data/endpoints.json, data/seed) are still byte for byte those
// of ../shared, when that folder sits beside the module. Every other test
// reads the copies only, so it runs on any clone.
func TestDataMatchesShared(t *testing.T) {
	shared := filepath.Join(moduleRoot(t), "..", "shared")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("reference folder %s not found: %v", shared, err)
	}
	seeds, err := filepath.Glob(filepath.Join(shared, "seed", "*.txt"))
	require.NoError(t, err)
	copies, err := filepath.Glob(dataFile(t, "seed", "*.txt"))
	require.NoError(t, err)
	require.Equal(t, len(seeds), len(copies), "seed files in ../shared/seed and data/seed")

	pairs := [][2]string{{filepath.Join(shared, "api", "endpoints.json"), dataFile(t, "endpoints.json")}}
	for _, s := range seeds {
		pairs = append(pairs, [2]string{s, dataFile(t, "seed", filepath.Base(s))})
	}
	for _, p := range pairs {
		want, err := os.ReadFile(p[0])
		require.NoError(t, err)
		got, err := os.ReadFile(p[1])
		require.NoError(t, err, "the copy of %s", p[0])
		assert.True(t, string(want) == string(got), "%s differs from %s: copy it again", p[1], p[0])
	}
}
