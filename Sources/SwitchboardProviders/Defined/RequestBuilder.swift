import Foundation
import SwitchboardCore
import SwitchboardXML

/// Builds a provider request from its definition and the values of one message, escaping each
/// value for where it goes.
enum RequestBuilder {
    /// Why a request could not be built. Each is the definition's or the settings' fault, so the
    /// same message would fail the same way again.
    enum Failure: Error, Equatable {
        /// A required placeholder had no value (an optional setting that is not set, no sender).
        case missing(String)
        /// A value would have ended a header line.
        case unsafeHeader(String)
        /// The URL's leading placeholder is not an http(s) address.
        case badURL(String)
        /// A field's value is longer than its `$max_length`.
        case tooLong(String, Int)
    }

    /// The message request.
    /// - Parameters:
    ///   - bearer: An OAuth2 access token to send as `Authorization: Bearer`.
    static func messageRequest(_ definition: ProviderDefinition, values: ProviderValues, bearer: String?) throws(Failure) -> TransportRequest {
        let request = definition.request
        var url = try render(url: request.url, values: values)
        var headers: [(String, String)] = []
        switch definition.auth {
        case .none, .oauth2:
            break
        case .basic(let username, let password):
            let credentials = try render(username, values, escape: { $0 }) + ":" + render(password, values, escape: { $0 })
            headers.append(("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
        case .bearer(let token):
            headers.append(("Authorization", "Bearer " + (try header(token, values, name: "Authorization"))))
        case .header(let name, let value):
            headers.append((name, try header(value, values, name: name)))
        case .query(let name, let value):
            let rendered = try render(value, values, escape: Escaping.urlComponent)
            url += (url.contains("?") ? "&" : "?") + Escaping.urlComponent(name) + "=" + rendered
        }
        if let bearer {
            guard Escaping.isSafeHeaderValue(bearer) else { throw .unsafeHeader("Authorization") }
            headers.append(("Authorization", "Bearer " + bearer))
        }
        var body: [UInt8]?
        switch request.body {
        case .none:
            break
        case .form(let fields):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = try form(fields, values)
        case .json(let value):
            headers.append(("Content-Type", "application/json"))
            body = Array((try json(value, values) ?? "null").utf8)
        case .xml(let template, _, let contentType):
            headers.append(("Content-Type", contentType))
            // Characters XML 1.0 cannot carry (C0 controls) are dropped by XMLEscaping.
            body = Array(try render(template, values, escape: XMLEscaping.text).utf8)
        }
        for item in request.headers {
            // A Content-Type the definition sets replaces the one its body kind implies.
            if item.name.utf8.equalsIgnoringASCIICase("Content-Type".utf8) {
                headers.removeAll { $0.0.utf8.equalsIgnoringASCIICase("Content-Type".utf8) }
            }
            headers.append((item.name, try header(item.value, values, name: item.name)))
        }
        return TransportRequest(method: request.method, url: url, headers: headers, body: body)
    }

    /// An OAuth2 client-credentials token request.
    static func tokenRequest(_ oauth: ProviderDefinition.OAuth2, values: ProviderValues) throws(Failure) -> TransportRequest {
        let url = try render(url: oauth.tokenURL, values: values)
        switch oauth.encoding {
        case .json:
            let body = try json(.object(oauth.fields), values) ?? "{}"
            return TransportRequest(method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: Array(body.utf8))
        case .form:
            let body = try form(oauth.fields, values)
            return TransportRequest(
                method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")], body: body
            )
        }
    }

    /// A URL: a leading placeholder is an address prefix (`{base_url}`, `{token.soap_instance_url}`)
    /// and goes in as it is, once checked to be http(s); every other value is percent-encoded.
    static func render(url template: ProviderTemplate, values: ProviderValues) throws(Failure) -> String {
        var output = ""
        for (index, part) in template.parts.enumerated() {
            switch part {
            case .literal(let text):
                output += text
            case .variable(let name):
                guard let value = values[name] else { throw .missing(name) }
                if index == 0 {
                    guard value.hasPrefix("https://") || value.hasPrefix("http://"), !value.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r" }) else {
                        throw .badURL(name)
                    }
                    output += value
                } else {
                    output += Escaping.urlComponent(value)
                }
            }
        }
        return output
    }

    private static func render(_ template: ProviderTemplate, _ values: ProviderValues, escape: (String) -> String) throws(Failure) -> String {
        do {
            return try template.render(values, escape: escape)
        } catch {
            throw .missing(error.name)
        }
    }

    private static func header(_ template: ProviderTemplate, _ values: ProviderValues, name: String) throws(Failure) -> String {
        let value = try render(template, values, escape: { $0 })
        guard Escaping.isSafeHeaderValue(value) else { throw .unsafeHeader(name) }
        return value
    }

    /// Whether a field is sent: its condition holds, and an optional field has all its values.
    private static func included(_ field: ProviderDefinition.Field, _ values: ProviderValues) -> Bool {
        if let condition = field.condition, !condition.holds(in: values) { return false }
        if field.optional {
            return field.value.variables.allSatisfy { values[$0] != nil }
        }
        return true
    }

    /// The fields that are sent, form-encoded into one buffer.
    private static func form(_ fields: [ProviderDefinition.Field], _ values: ProviderValues) throws(Failure) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(256)
        for field in fields where included(field, values) {
            let value: String
            switch field.value {
            case .string(let template): value = try limited(field, try render(template, values, escape: { $0 }))
            case .number(let text): value = text
            case .bool(let flag): value = flag ? "true" : "false"
            case .null, .object, .array: continue
            }
            if !body.isEmpty { body.append(UInt8(ascii: "&")) }
            Escaping.appendFormComponent(field.name, to: &body)
            body.append(UInt8(ascii: "="))
            Escaping.appendFormComponent(value, to: &body)
        }
        return body
    }

    /// The value, unless it is longer than the field's `$max_length`.
    private static func limited(_ field: ProviderDefinition.Field, _ value: String, limit: Int? = nil) throws(Failure) -> String {
        if let limit = limit ?? field.maxLength, value.count > limit { throw .tooLong(field.name, limit) }
        return value
    }

    private static func json(_ value: ProviderDefinition.JSONValue, _ values: ProviderValues) throws(Failure) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let template): return "\"" + (try render(template, values, escape: Escaping.jsonString)) + "\""
        case .array(let items):
            var parts: [String] = []
            for item in items {
                if let rendered = try json(item, values) { parts.append(rendered) }
            }
            return "[" + parts.joined(separator: ",") + "]"
        case .object(let fields):
            var parts: [String] = []
            for field in fields where included(field, values) {
                if let limit = field.maxLength, case .string(let template) = field.value {
                    _ = try limited(field, try render(template, values, escape: { $0 }), limit: limit)
                }
                if let rendered = try json(field.value, values) {
                    parts.append("\"" + Escaping.jsonString(field.name) + "\":" + rendered)
                }
            }
            return "{" + parts.joined(separator: ",") + "}"
        }
    }
}

extension ProviderDefinition.JSONValue {
    /// Every placeholder inside.
    var variables: [String] {
        switch self {
        case .string(let template): template.variables
        case .array(let items): items.flatMap(\.variables)
        case .object(let fields): fields.flatMap(\.value.variables)
        case .number, .bool, .null: []
        }
    }
}
