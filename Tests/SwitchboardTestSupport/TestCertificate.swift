import Foundation
package import NIOSSL

/// A self-signed certificate for `localhost` and `127.0.0.1`, made by `openssl` for one test (the
/// setup script installs it), with its key: what a fake provider serves HTTPS with, and what a
/// client that is to trust that fake adds to its trust roots.
package struct TestCertificate: Sendable {
    package let certificatePath: String
    package let keyPath: String

    package init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        certificatePath = folder.appendingPathComponent("certificate.pem").path
        keyPath = folder.appendingPathComponent("key.pem").path
        let openssl = try ChildProcess("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", keyPath, "-out", certificatePath,
        ], outputs: .discarded)
        let ended = openssl.waitUntilExit()
        guard ended == .exited(0) else {
            throw TestCertificateError(description: "openssl req ended with \(ended); scripts/setup installs openssl")
        }
    }

    /// A client's TLS configuration that trusts this certificate alone.
    package func trustingClientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try certificate()])
        return configuration
    }

    /// The certificate alone, as a client's trust root.
    package func certificate() throws -> NIOSSLCertificate {
        let certificates = try NIOSSLCertificate.fromPEMFile(certificatePath)
        guard certificates.count == 1 else {
            throw TestCertificateError(description: "\(certificatePath) holds \(certificates.count) certificates, not one")
        }
        return certificates[0]
    }

    /// - Parameter applicationProtocols: What the server may choose in the handshake (ALPN), in
    ///   its order of preference; none when empty.
    func serverContext(applicationProtocols: [String] = []) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try certificate())], privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        )
        configuration.applicationProtocols = applicationProtocols
        return try NIOSSLContext(configuration: configuration)
    }
}

struct TestCertificateError: Error, CustomStringConvertible {
    var description: String
}
