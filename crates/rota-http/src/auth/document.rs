//! What the OpenAPI document says about the headers of the way in: those an API
//! credential's call reads (`app-id`, `nonce`, `timestamp`, `X-Act-As-User`) and the
//! rate-limit headers its answers carry (see [`crate::rate_limit`]), on the operations
//! that admit API credentials; and `Retry-After` on every 429.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
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

fn header_parameter(name: &str, kind: Type, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(kind)))
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
/// every answer.
pub(super) fn api_credential_headers(document: &mut OpenApi) {
    let parameters = [
        header_parameter(
            "app-id",
            Type::String,
            "With an access token: the App ID of the client it was issued to (401 when it names another)",
        ),
        header_parameter(
            "nonce",
            Type::String,
            "For clients that require nonces: at least 128 random bits as hex or base64, never sent twice",
        ),
        header_parameter(
            "timestamp",
            Type::String,
            "With the nonce: Unix seconds or an RFC 3339 instant, close to the server's clock",
        ),
        header_parameter(
            "X-Act-As-User",
            Type::Integer,
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
    for operation in operations(document) {
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
