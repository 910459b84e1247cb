// Command easemob calls the Easemob IM REST API from the command line,
// within its quotas, and serves and load-tests servers that speak it:
//
//	easemob users get alice -o json       everyday calls, one file of commands per module
//	easemob job register-users users.csv  bulk jobs from CSV or JSONL: progress, ETA from the quotas,
//	                                      resumable from a journal, a report of every failed item
//	easemob quotas                        the quota table: documented, override, effective, live (Redis)
//	easemob emulate --listen ADDR         the emulator as a server, with /_emulator/stats
//	easemob loadtest --base-url URL       every group of a mixed workload at full quota, with an HTML report
//	easemob config                        the settings in force, credentials redacted
//
// Settings come from flags, then the environment (EASEMOB_APP_KEY,
// EASEMOB_BASE_URL, EASEMOB_CLIENT_ID, EASEMOB_CLIENT_SECRET, REDIS_URL),
// then a JSON config file. Secrets are never printed. Every command takes
// --help; exit codes are listed by 'easemob help'.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}
