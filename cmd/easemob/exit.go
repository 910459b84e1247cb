package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emquota/easemob"
)

// Exit codes, for scripts.
const (
	exitOK          = 0
	exitError       = 1   // any other failure (a server error, a network failure)
	exitUsage       = 2   // bad flags or arguments, or input the SDK refused before sending
	exitConfig      = 3   // missing or bad configuration, or credentials the server refused
	exitNotFound    = 4   // the server answered 404
	exitRateLimited = 5   // refused for quota: locally (a deadline it cannot meet) or by the server
	exitItemsFailed = 6   // a bulk job ended with items failed or of unknown outcome
	exitInterrupted = 130 // interrupted (SIGINT, SIGTERM); a bulk job resumes when run again
)

const exitHelp = `Exit codes:
  0    success
  1    failure (server error, network)
  2    usage: bad flags or arguments, or input refused before anything was sent
  3    configuration: missing or bad settings, or credentials refused
  4    not found (404)
  5    rate limited: refused for quota, locally or by the server
  6    a bulk job ended with items failed or of unknown outcome (see its report)
  130  interrupted; a bulk job resumes from its journal when run again`

// usageError is a mistake in how the tool was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// configError is a missing or bad setting.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configf(format string, args ...any) error { return &configError{fmt.Sprintf(format, args...)} }

// itemsFailed ends a bulk job some of whose items are not done.
type itemsFailed struct{ failed, unknown int }

func (e *itemsFailed) Error() string {
	return fmt.Sprintf("%d items failed, %d of unknown outcome (see the report)", e.failed, e.unknown)
}

// exitCode maps an error to the exit code scripts can test.
func exitCode(err error) int {
	var (
		use   *usageError
		conf  *configError
		items *itemsFailed
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &use), errors.Is(err, easemob.ErrInvalidArgument):
		return exitUsage
	case errors.As(err, &conf), errors.Is(err, easemob.ErrUnauthorized), credentialsRefused(err):
		return exitConfig
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &items):
		return exitItemsFailed
	case errors.Is(err, easemob.ErrNotFound):
		return exitNotFound
	case errors.Is(err, easemob.ErrRateLimited):
		return exitRateLimited
	}
	return exitError
}

// credentialsRefused reports a token request the server refused (400
// invalid_grant for a wrong secret): the settings are wrong, not the call.
func credentialsRefused(err error) bool {
	var apiErr *easemob.Error
	return errors.As(err, &apiErr) && apiErr.Op == "auth.GetAppToken" && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		!apiErr.RateLimited()
}

// report prints err, if any, and returns its exit code.
func report(err error, stderr io.Writer) int {
	code := exitCode(err)
	if err != nil {
		// SDK errors already say where they come from.
		fmt.Fprintln(stderr, "easemob:", strings.TrimPrefix(err.Error(), "easemob: "))
	}
	return code
}
