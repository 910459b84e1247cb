package easemob_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
)

// BenchmarkCallOverhead compares a whole c.Users.Get (validation, token
// cache, limiter, transport, error mapping, decoding) with a bare net/http GET
// of the same URL, with the same Authorization header, to the same emulator,
// decoding the body into a small struct. The quota is unbound on both the
// emulator and the registry, so nothing waits: the difference is the SDK's
// own cost per call. Both transports keep 256 idle connections per host, as
// the SDK's default client does.
func BenchmarkCallOverhead(b *testing.B) {
	srv := easemobtest.NewServer(b, easemobtest.WithQuotas(engUnbound(easemob.GroupUsersGet)))
	if err := srv.AddUser("alice", "pw"); err != nil {
		b.Fatal(err)
	}
	c := engClient(b, srv, engUnboundRegistry(srv.AppKey), option.RetryPolicy{})
	ctx := context.Background()
	if _, err := c.Users.Get(ctx, "alice"); err != nil { // fetches the SDK's token
		b.Fatal(err)
	}

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	hc := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	url := srv.AppURL() + "/users/alice"
	auth := "Bearer " + engToken(b, hc, srv)

	type user struct {
		Username  string `json:"username"`
		Activated bool   `json:"activated"`
	}
	bare := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var out struct {
			Entities []user `json:"entities"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || len(out.Entities) != 1 || out.Entities[0].Username != "alice" {
			return fmt.Errorf("bare GET: %s, %+v", resp.Status, out)
		}
		return nil
	}
	sdk := func() error {
		_, err := c.Users.Get(ctx, "alice")
		return err
	}

	for _, v := range []struct {
		name string
		call func() error
	}{{"sdk", sdk}, {"bare", bare}} {
		b.Run(v.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := v.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(v.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := v.call(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
	if n := srv.TotalRateLimited(); n != 0 {
		b.Errorf("the quota was meant never to bind, yet the server answered %d 429s", n)
	}
}

// engToken fetches an app token the way the docs show, for the bare client.
func engToken(b *testing.B, hc *http.Client, srv *easemobtest.Server) string {
	b.Helper()
	body, _ := json.Marshal(map[string]string{
		"grant_type": "client_credentials", "client_id": srv.ClientID, "client_secret": srv.ClientSecret,
	})
	resp, err := hc.Post(srv.AppURL()+"/token", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		b.Fatalf("token: %s, %v", resp.Status, err)
	}
	return out.AccessToken
}
