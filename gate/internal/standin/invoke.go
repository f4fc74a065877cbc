package standin

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// invoke answers a data source. Unknown tokens are an error that names the token, so a program
// that starts using a new data source fails loudly here instead of getting an invented answer.
func (c cloud) invoke(tok string, args resource.PropertyMap) (resource.PropertyMap, error) {
	switch tok {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": Account,
			"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/standin-offline/standin", Account),
			"userId":    "AROASTANDINOFFLINE:standin",
			"id":        Account,
		}), nil
	case "aws:index/getRegion:getRegion":
		region := c.region
		if r := str(args, "name"); r != "" {
			region = r
		}
		if r := str(args, "region"); r != "" {
			region = r
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"name": region, "region": region, "id": region,
			"endpoint":    fmt.Sprintf("ec2.%s.amazonaws.com", region),
			"description": "stand-in region " + region,
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": "aws", "id": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws",
		}), nil
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		names := []any{c.region + "a", c.region + "b", c.region + "c"}
		ids := []any{"euw1-az1", "euw1-az2", "euw1-az3"}
		return resource.NewPropertyMapFromMap(map[string]any{
			"names": names, "zoneIds": ids, "id": c.region, "groupNames": []any{c.region},
		}), nil
	case "aws:iam/getPolicyDocument:getPolicyDocument":
		doc, err := policyDocument(args)
		if err != nil {
			return nil, err
		}
		return resource.NewPropertyMapFromMap(map[string]any{"json": doc, "minifiedJson": doc, "id": hashString(doc)}), nil
	}
	return nil, fmt.Errorf("stand-in aws provider: data source %q is not implemented by the offline stand-in "+
		"(add it to gate/internal/standin/invoke.go)", tok)
}

func hashString(s string) string {
	return hash(resource.URN(s), "doc", 10)
}

// policyDocument renders aws.iam.getPolicyDocument arguments as an IAM policy JSON, like the
// real data source (statements, principals, conditions; the common fields only).
func policyDocument(args resource.PropertyMap) (string, error) {
	doc := map[string]any{"Version": "2012-10-17"}
	if v := str(args, "version"); v != "" {
		doc["Version"] = v
	}
	var statements []any
	sts := unwrap(args["statements"])
	if sts.IsArray() {
		for i, st := range sts.ArrayValue() {
			st = unwrap(st)
			if !st.IsObject() {
				return "", fmt.Errorf("stand-in aws provider: getPolicyDocument statements[%d] is not an object", i)
			}
			statements = append(statements, statement(st.ObjectValue()))
		}
	}
	doc["Statement"] = statements
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("stand-in aws provider: encoding policy document: %w", err)
	}
	return string(b), nil
}

func statement(st resource.PropertyMap) map[string]any {
	out := map[string]any{}
	if sid := str(st, "sid"); sid != "" {
		out["Sid"] = sid
	}
	out["Effect"] = "Allow"
	if e := str(st, "effect"); e != "" {
		out["Effect"] = e
	}
	for _, f := range []struct{ in, out string }{
		{"actions", "Action"}, {"notActions", "NotAction"}, {"resources", "Resource"}, {"notResources", "NotResource"},
	} {
		if l := stringList(st, f.in); len(l) > 0 {
			out[f.out] = oneOrMany(l)
		}
	}
	for _, f := range []struct{ in, out string }{{"principals", "Principal"}, {"notPrincipals", "NotPrincipal"}} {
		ps := unwrap(st[resource.PropertyKey(f.in)])
		if !ps.IsArray() {
			continue
		}
		m := map[string]any{}
		for _, p := range ps.ArrayValue() {
			p = unwrap(p)
			if !p.IsObject() {
				continue
			}
			typ := str(p.ObjectValue(), "type")
			ids := stringList(p.ObjectValue(), "identifiers")
			if typ == "*" {
				out[f.out] = "*"
				continue
			}
			m[typ] = oneOrMany(ids)
		}
		if len(m) > 0 {
			out[f.out] = m
		}
	}
	conds := unwrap(st["conditions"])
	if conds.IsArray() {
		cm := map[string]map[string]any{}
		for _, cv := range conds.ArrayValue() {
			cv = unwrap(cv)
			if !cv.IsObject() {
				continue
			}
			test, variable := str(cv.ObjectValue(), "test"), str(cv.ObjectValue(), "variable")
			if cm[test] == nil {
				cm[test] = map[string]any{}
			}
			cm[test][variable] = oneOrMany(stringList(cv.ObjectValue(), "values"))
		}
		if len(cm) > 0 {
			out["Condition"] = cm
		}
	}
	return out
}

// stringList reads a list of known strings (unknown elements become the unknown marker text, which
// only happens in preview, where the document is not used for a verdict by the stand-in).
func stringList(m resource.PropertyMap, key string) []string {
	v := unwrap(m[resource.PropertyKey(key)])
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		e = unwrap(e)
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	sort.Strings(out)
	return out
}

func oneOrMany(l []string) any {
	if len(l) == 1 {
		return l[0]
	}
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}
