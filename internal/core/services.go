package core

import (
	"fmt"
	"reflect"
	"sync"
)

// Module packages register their service constructor here, so that the
// root package can build them without the modules exporting a function
// that takes an internal type.
var services sync.Map // reflect.Type of *T -> func(*Client) any

// Provide registers the constructor of service T; modules call it from init.
func Provide[T any](build func(*Client) *T) {
	services.Store(reflect.TypeFor[*T](), func(c *Client) any { return build(c) })
}

// Build returns service T for c.
func Build[T any](c *Client) *T {
	f, ok := services.Load(reflect.TypeFor[*T]())
	if !ok {
		panic(fmt.Sprintf("easemob: no service %v registered", reflect.TypeFor[T]()))
	}
	return f.(func(*Client) any)(c).(*T)
}
