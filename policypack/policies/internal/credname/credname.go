// Package credname decides whether the name of an environment variable says it holds a
// credential. It is the one rule the policies on plain environment values share (ECS container
// definitions, Lambda functions), so a name is judged the same way wherever it appears.
package credname

import (
	"regexp"
	"strings"
)

var (
	secretName    = regexp.MustCompile(`(PASSWORD|PASSWD|PWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|AUTH_?KEY|(^|_)KEY($|_))`)
	referenceName = regexp.MustCompile(`_(ID|ARN|NAME|URL|URI|ALIAS|PATH|FILE)$`)
)

// Summary says in words which names LooksSecret flags, for policy descriptions.
const Summary = "Variables whose names look like credentials (PASSWORD, SECRET, TOKEN, KEY, " +
	"CREDENTIAL...) are judged; names ending in _ID, _ARN, _NAME, _URL, _URI, _ALIAS, _PATH or " +
	"_FILE are references to a credential, not the credential itself."

// LooksSecret reports whether an environment variable name looks like it holds a credential:
// it contains PASSWORD, PASSWD, PWD, SECRET, TOKEN, CREDENTIAL, PRIVATE_KEY, API_KEY,
// ACCESS_KEY, AUTH_KEY or a KEY word, compared case-insensitively with "-" read as "_", and
// does not end in a reference suffix (_ID, _ARN, _NAME, _URL, _URI, _ALIAS, _PATH, _FILE).
func LooksSecret(name string) bool {
	n := strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	return secretName.MatchString(n) && !referenceName.MatchString(n)
}
