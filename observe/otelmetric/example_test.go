package otelmetric_test

import (
	"fmt"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/observe/otelmetric"
)

// Any MeterProvider records the quota events: pass otel.Meter("easemob")
// in a service set up with an exporter.
func Example() {
	obs, err := otelmetric.New(noop.NewMeterProvider().Meter("easemob"))
	if err != nil {
		panic(err)
	}
	c, err := easemob.New(easemob.Config{AppKey: "1122334455#demo", BaseURL: "https://a1.easemob.com",
		ClientID: "id", ClientSecret: "secret", Observer: obs})
	fmt.Println(err)
	_ = c.Close()
	// Output: <nil>
}
