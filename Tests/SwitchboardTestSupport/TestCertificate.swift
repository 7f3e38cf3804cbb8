import Foundation
package import NIOSSL

/// A self-signed certificate for `localhost` and `127.0.0.1`, made by `openssl` for one test (the
/// setup script installs it), with its key: what a fake provider serves HTTPS with, and what a
/// client that is to trust that fake adds to its trust roots. Both are kept in memory: openssl's
/// files are removed at once, so no test leaves a key behind.
package struct TestCertificate: Sendable {
    package let certificatePEM: String
    package let keyPEM: String

    package init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificatePath = folder.appendingPathComponent("certificate.pem").path
        let keyPath = folder.appendingPathComponent("key.pem").path
        let openssl = try ChildProcess("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", keyPath, "-out", certificatePath,
        ], outputs: .discarded)
        let ended = openssl.waitUntilExit()
        guard ended == .exited(0) else {
            throw TestCertificateError(description: "openssl req ended with \(ended); scripts/setup installs openssl")
        }
        certificatePEM = try String(contentsOfFile: certificatePath, encoding: .utf8)
        keyPEM = try String(contentsOfFile: keyPath, encoding: .utf8)
    }

    /// Writes the certificate and its key into `folder`, for a server that reads them from files.
    /// - Returns: The two files' paths.
    package func write(into folder: String) throws -> (certificate: String, key: String) {
        let paths = (certificate: "\(folder)/certificate.pem", key: "\(folder)/key.pem")
        try certificatePEM.write(toFile: paths.certificate, atomically: true, encoding: .utf8)
        try keyPEM.write(toFile: paths.key, atomically: true, encoding: .utf8)
        return paths
    }

    /// A client's TLS configuration that trusts this certificate alone.
    package func trustingClientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try certificate()])
        return configuration
    }

    /// The certificate alone, as a client's trust root.
    package func certificate() throws -> NIOSSLCertificate {
        let certificates = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
        guard certificates.count == 1 else {
            throw TestCertificateError(description: "openssl made \(certificates.count) certificates, not one")
        }
        return certificates[0]
    }

    /// - Parameter applicationProtocols: What the server may choose in the handshake (ALPN), in
    ///   its order of preference; none when empty.
    func serverContext(applicationProtocols: [String] = []) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try certificate())], privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
        )
        configuration.applicationProtocols = applicationProtocols
        return try NIOSSLContext(configuration: configuration)
    }
}

struct TestCertificateError: Error, CustomStringConvertible {
    var description: String
}
