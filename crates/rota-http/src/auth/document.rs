//! What the OpenAPI document says about the headers of the way in: those an API
//! credential's call reads (`app-id`, `nonce`, `timestamp`, `X-Act-As-User`) and the
//! rate-limit headers its answers carry (see [`crate::rate_limit`]), on the operations
//! that admit API credentials; and `Retry-After` on every 429.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{OpenApi, RefOr, Required};

/// Every operation of `document`, to change.
fn operations(document: &mut OpenApi) -> impl Iterator<Item = &mut Operation> {
    document.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .filter_map(Option::as_mut)
    })
}

fn header_parameter(name: &str, schema: ObjectBuilder, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn integer_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        )
        .description(Some(description))
        .build()
}

/// The headers an API credential's call reads, as parameters; the rate-limit headers on
/// every answer. Operations that take no credential (signing up) are left as they are.
pub(super) fn api_credential_headers(document: &mut OpenApi) {
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let user_id = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .maximum(Some(i64::MAX));
    let parameters = [
        header_parameter(
            "app-id",
            text(),
            "With an access token: the App ID of the client it was issued to (401 when it names another)",
        ),
        header_parameter(
            "nonce",
            text(),
            "For clients that require nonces: at least 128 random bits as hex or base64, never sent twice",
        ),
        header_parameter(
            "timestamp",
            text(),
            "With the nonce: Unix seconds or an RFC 3339 instant, close to the server's clock",
        ),
        header_parameter(
            "X-Act-As-User",
            user_id,
            "For API credentials allowed to: the id of the user of the company to act as",
        ),
    ];
    let headers = [
        (
            "X-RateLimit-Limit",
            "On calls by API credentials: calls allowed a minute",
        ),
        (
            "X-RateLimit-Burst",
            "On calls by API credentials: calls allowed at once",
        ),
        (
            "X-RateLimit-Remaining",
            "On calls by API credentials: calls that may follow at once",
        ),
    ];
    let takes_credentials = |operation: &Operation| {
        operation
            .security
            .as_ref()
            .is_some_and(|security| !security.is_empty())
    };
    for operation in operations(document).filter(|o| takes_credentials(o)) {
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .extend(parameters.iter().cloned());
        for response in operation.responses.responses.values_mut() {
            if let RefOr::T(response) = response {
                for (name, description) in headers {
                    response
                        .headers
                        .insert(name.to_owned(), integer_header(description));
                }
            }
        }
    }
}

/// `Retry-After` on every 429: every refusal over a rate limit says when to try again.
pub(crate) fn retry_after(document: &mut OpenApi) {
    for operation in operations(document) {
        if let Some(RefOr::T(response)) = operation.responses.responses.get_mut("429") {
            response.headers.insert(
                "Retry-After".to_owned(),
                integer_header("Seconds until the rate limit admits a call again"),
            );
        }
    }
}
