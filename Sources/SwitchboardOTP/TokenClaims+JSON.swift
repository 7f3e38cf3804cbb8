package import SwitchboardJSON

extension ClientTokenClaims: JWTClaimsWriting {
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("sub", sub)
        writer.member("iss", iss)
        writer.member("aud", aud)
        writer.member("exp", exp)
        writer.member("iat", iat)
        if let nbf { writer.member("nbf", nbf) }
        writer.member("jti", jti)
        writer.member("client_id", client_id)
        writer.member("app_id", app_id)
        writer.member("app_name", app_name)
        writer.member("scope", scope)
        writer.member("token_use", token_use)
        writer.endObject()
    }
}

extension IDTokenClaims: JWTClaimsWriting {
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("iss", iss)
        writer.member("sub", sub)
        writer.member("aud", aud)
        writer.member("exp", exp)
        writer.member("iat", iat)
        writer.member("auth_time", auth_time)
        writer.key("amr")
        writer.beginArray()
        for method in amr { writer.string(method) }
        writer.endArray()
        if let phone_number { writer.member("phone_number", phone_number) }
        writer.member("phone_number_verified", phone_number_verified)
        if let approval_data {
            writer.key("approval_data")
            writer.beginObject()
            for (key, value) in approval_data.sorted(by: { $0.key < $1.key }) { writer.member(key, value) }
            writer.endObject()
        }
        writer.member("app_name", app_name)
        writer.member("sid", sid)
        writer.endObject()
    }
}

extension AccessTokenClaims: JWTClaimsWriting {
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("sub", sub)
        writer.member("iss", iss)
        writer.member("aud", aud)
        writer.member("exp", exp)
        writer.member("iat", iat)
        writer.member("jti", jti)
        writer.member("client_id", client_id)
        writer.member("app_id", app_id)
        writer.member("app_name", app_name)
        writer.member("scope", scope)
        writer.member("sid", sid)
        writer.endObject()
    }
}
