package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withProfiles is validQuotas with a profile that pools two of its groups.
var withProfiles = strings.TrimSuffix(strings.TrimSpace(validQuotas), "}") + `,
  "profiles": [
    {"name": "newest_docs", "about": "a", "pools": [
      {"name": "users.pool", "limits": [{"count": 50, "window": "1s", "unit": "calls"}],
       "groups": ["users.get", "messages.send_users"], "note": "n"}
    ]}
  ]
}`

func TestGenerateProfiles(t *testing.T) {
	files, err := generateValid(withProfiles, validEndpoints)
	require.NoError(t, err)
	cat := squash(files[catalogFile])
	assert.Contains(t, cat, `var Profiles = []Profile{ { Name: "newest_docs", About: `+"`a`"+`, Pools: []Pool{ `+
		`{Name: "users.pool", Limits: []ratelimit.Limit{{Count: 50, Window: time.Second, Unit: ratelimit.Calls}}, Groups: []GroupID{GroupUsersGet, GroupMessagesSendUsers}}, }, }, }`)
	lim := squash(files[limitsFile])
	assert.Contains(t, lim, "The NewestDocs profile pools it into users.pool (50 calls/s per App Key) with 1 other groups.")

	files, err = generateValid(validQuotas, validEndpoints)
	require.NoError(t, err)
	assert.Contains(t, squash(files[catalogFile]), "var Profiles = []Profile{}", "no profiles: an empty table")
}

func TestProfileValidationRejects(t *testing.T) {
	for _, tc := range []struct{ name, old, new, wantErr string }{
		{"bad name", `"name": "newest_docs"`, `"name": "Newest"`, `profile "Newest": name must be lowercase words`},
		{"no about", `"about": "a"`, `"about": ""`, "needs about and pools"},
		{"pool named like a group", `"name": "users.pool"`, `"name": "users.get"`, "not a group's"},
		{"one group", `"groups": ["users.get", "messages.send_users"]`, `"groups": ["users.get"]`, "at least two groups"},
		{"unknown group", `"groups": ["users.get", "messages.send_users"]`, `"groups": ["users.get", "users.gone"]`, `group "users.gone" is not defined`},
		{"group twice", `"groups": ["users.get", "messages.send_users"]`, `"groups": ["users.get", "users.get"]`, `group "users.get" is in pool "users.pool" already`},
		{"per user", `"count": 50, "window": "1s", "unit": "calls"`, `"count": 50, "window": "1s", "per": "username", "unit": "calls"`, "a pool's limits are per App Key"},
		{"bad limit", `"count": 50`, `"count": 0`, `pool "users.pool" limit 0: count must be positive`},
		{"unknown field", `"note": "n"}
    ]}`, `"notes": "n"}
    ]}`, `unknown field "notes"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(withProfiles, tc.old, tc.new, 1)
			require.NotEqual(t, withProfiles, bad, "the case did not change the data")
			_, err := generateValid(bad, validEndpoints)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
