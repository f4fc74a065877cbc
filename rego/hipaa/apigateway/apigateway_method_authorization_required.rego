# METADATA
# title: API Gateway methods authenticate callers (Lambda authorizer, Cognito or IAM)
# description: >-
#   The ingestion API receives ePHI from devices and clinicians. Every method must authenticate
#   the caller before the request reaches the backend: authorization CUSTOM (a Lambda
#   authorizer) or COGNITO_USER_POOLS, each with an authorizerId, or AWS_IAM (SigV4). NONE lets
#   anyone call it; an API key (apiKeyRequired) identifies a usage plan, not a person or
#   entity, so it is not authentication. OPTIONS methods answer CORS preflight requests, which
#   browsers send without credentials, and are not applicable.
# custom:
#   id: apigateway-method-authorization-required
#   severity: critical
#   enforcement: mandatory
#   controls:
#     - 164.312(a)(1)
#     - 164.312(d)
#   resource_types:
#     - aws:apigateway/method:Method
#   remediation: >-
#     Set authorization to "CUSTOM" with authorizerId of the request authorizer (or
#     "COGNITO_USER_POOLS" with a Cognito authorizer, or "AWS_IAM" for service callers); keep
#     apiKeyRequired only for throttling and usage plans.
#   references:
#     - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
#     - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
package hipaa.apigateway.apigateway_method_authorization_required

import data.lib

http_method := lib.prop("httpMethod")

authorization_raw := lib.prop("authorization")

authorizer_id := lib.prop("authorizerId")

# An absent authorization is read as NONE.
authorization := "NONE" if {
	lib.is_blank(authorization_raw)
} else := lib.upper_value(authorization_raw) if {
	not lib.is_unknown(authorization_raw)
}

authenticating := {"CUSTOM", "COGNITO_USER_POOLS", "AWS_IAM"}

needs_authorizer := {"CUSTOM", "COGNITO_USER_POOLS"}

preflight if lib.upper_value(http_method) == "OPTIONS"

# The method is judged once its HTTP method is known not to be OPTIONS.
judged if {
	not lib.is_unknown(http_method)
	not preflight
}

readable_authorization if is_string(authorization)

shown := lib.display(["authorization"], authorization_raw)

api_key_required if lib.bool_value(lib.prop("apiKeyRequired")) == true

not_applicable contains "OPTIONS methods answer CORS preflight requests, which browsers send without credentials" if {
	preflight
}

deny contains msg if {
	judged
	authorization == "NONE"
	api_key_required
	msg := sprintf("authorization is %s: anyone can call this method; an API key (apiKeyRequired) identifies a usage plan, not a caller, and is not authentication", [shown])
}

deny contains msg if {
	judged
	authorization == "NONE"
	not api_key_required
	msg := sprintf("authorization is %s (absent means NONE): anyone can call this method without authenticating", [shown])
}

deny contains msg if {
	judged
	readable_authorization
	authorization != "NONE"
	not authorization in authenticating
	msg := sprintf("authorization is %s, not one of CUSTOM, COGNITO_USER_POOLS or AWS_IAM", [shown])
}

deny contains msg if {
	judged
	authorization in needs_authorizer
	lib.is_blank(authorizer_id)
	msg := sprintf("authorization is %s but authorizerId is not set: no authorizer checks the caller", [shown])
}

undetermined contains lib.unknown_msg("httpMethod") if lib.is_unknown(http_method)

undetermined contains lib.unknown_msg("authorization") if lib.is_unknown(authorization_raw)

undetermined contains lib.wrong_type_msg("authorization", authorization_raw, "a string") if {
	not lib.is_unknown(authorization_raw)
	not readable_authorization
}

# authorizerId only has to be set: an unknown one (the ID of an authorizer of the program,
# computed during preview) counts as set (lib.reference_set). An unknown authorization stays
# undetermined: its value decides the verdict.
undetermined contains lib.wrong_type_msg("authorizerId", authorizer_id, "a string") if {
	authorization in needs_authorizer
	not lib.is_blank(authorizer_id)
	not lib.reference_set(authorizer_id)
}
