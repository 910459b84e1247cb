package easemobtest

import (
	"encoding/json"
	"net/http"
	"time"
)

// apiError is an error answer in the body shape the Easemob server uses:
// {"error","exception","timestamp","duration","error_description"}.
type apiError struct {
	status      int
	code        string
	exception   string
	description string
}

// errorBody keeps the documented field order on the wire.
type errorBody struct {
	Error            string `json:"error"`
	Exception        string `json:"exception"`
	Timestamp        int64  `json:"timestamp"`
	Duration         int    `json:"duration"`
	ErrorDescription string `json:"error_description"`
	// ErrorCode is the numeric code newer pages add (14007, 14033...).
	ErrorCode int `json:"error_code,omitempty"`
}

// Error descriptions and codes quoted from the docs; clients match on them.
const (
	descExpiredToken   = "Unable to authenticate due to expired access token"
	descCorruptToken   = "Unable to authenticate due to corrupt access token"
	descOAuth          = "Unable to authenticate (OAuth)"
	descClosedRegister = "Open registration doesn't allow, so register user need token"
	descReachLimit     = "This request has reached api limit"
	descMessageLimit   = "message send reach limit"
	descPlanLimit      = "You have exceeded the limit of the Free edition. Please upgrade to higher edition."
	descNotFound       = "Service resource not found"

	// codeMessageLimit is what the send pages document for the 403 message
	// quota (messages.SendToUsers: 403 message_send_error).
	codeMessageLimit = "message_send_error"
)

func errIllegalArgument(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "illegal_argument", "java.lang.IllegalArgumentException", desc}
}

func errJSONParse() *apiError {
	return &apiError{http.StatusBadRequest, "json_parse", "com.fasterxml.jackson.core.JsonParseException",
		"Unexpected character in request body: not valid JSON"}
}

func errUnauthorized(desc string) *apiError {
	return &apiError{http.StatusUnauthorized, "unauthorized", "org.apache.usergrid.rest.exceptions.SecurityException", desc}
}

func errBadToken() *apiError {
	return &apiError{http.StatusUnauthorized, "auth_bad_access_token", "org.apache.usergrid.rest.exceptions.SecurityException", descCorruptToken}
}

func errUserNotFound() *apiError {
	return &apiError{http.StatusNotFound, "service_resource_not_found", "UserNotFoundException", descNotFound}
}

func errReachLimit() *apiError {
	return &apiError{http.StatusTooManyRequests, "reach_limit", "EasemobReachLimitException", descReachLimit}
}

func errMessageLimit() *apiError {
	return &apiError{http.StatusForbidden, codeMessageLimit, "EasemobForbiddenOpException", descMessageLimit}
}

func errPlanLimit() *apiError {
	return &apiError{http.StatusTooManyRequests, "resource_limited", "EasemobResourceLimitedException", descPlanLimit}
}

func errOrgAppNotFound(org, app, uri string) *apiError {
	return &apiError{http.StatusNotFound, "organization_application_not_found",
		"org.apache.usergrid.rest.exceptions.OrganizationApplicationNotFoundException",
		"Could not find application for " + org + "/" + app + " from URI: " + uri}
}

func errNoRoute(status int) *apiError {
	return &apiError{status, "web_application", "javax.ws.rs.WebApplicationException", "HTTP " + http.StatusText(status)}
}

func errNotEmulated(opID string) *apiError {
	return &apiError{http.StatusNotImplemented, "unsupported_service_operation",
		"UnsupportedServiceOperationException", "not emulated yet: " + opID}
}

// errInjected is the body FailNext answers with: the code the real server
// uses for that status, so client error mapping sees a plausible answer.
func errInjected(status int) *apiError {
	switch status {
	case http.StatusTooManyRequests:
		return errReachLimit()
	case http.StatusUnauthorized:
		return errUnauthorized(descExpiredToken)
	case http.StatusForbidden:
		return &apiError{status, "forbidden_op", "EasemobForbiddenOpException", "forbidden operation"}
	case http.StatusNotFound:
		return errUserNotFound()
	case http.StatusBadRequest:
		return errIllegalArgument("injected failure")
	}
	return &apiError{status, "server_error", "InjectedFaultException", http.StatusText(status)}
}

// body is the error as the server sends it: timestamp is the arrival, in
// ms, and duration the ms spent handling the call.
func (e *apiError) body(arrival time.Time, durationMs int) errorBody {
	return errorBody{
		Error:            e.code,
		Exception:        e.exception,
		Timestamp:        arrival.UnixMilli(),
		Duration:         durationMs,
		ErrorDescription: e.description,
	}
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
