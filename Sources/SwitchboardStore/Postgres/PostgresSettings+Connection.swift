import Foundation
import NIOSSL
package import PostgresNIO
package import SwitchboardCore

extension PostgresSettings {
    /// The pool's connections: over TCP, or to the server's Unix-domain socket, where PostgreSQL
    /// never uses TLS.
    /// - Throws: ``PostgresStoreError/rootCertificates(path:problem:)``.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        if let unixSocketPath {
            return PostgresClient.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        }
        let tls: PostgresClient.Configuration.TLS =
            switch try tlsConfiguration() {
            case nil: .disable
            case let configuration? where self.tls == .prefer: .prefer(configuration)
            case let configuration?: .require(configuration)
            }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// The same settings for a connection made outside the pool.
    /// - Throws: ``PostgresStoreError/rootCertificates(path:problem:)``, or when the TLS context
    ///   cannot be made.
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let unixSocketPath {
            return PostgresConnection.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS =
            switch try tlsConfiguration().map(NIOSSLContext.init(configuration:)) {
            case nil: .disable
            case let context? where self.tls == .prefer: .prefer(context)
            case let context?: .require(context)
            }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// What a TLS connection checks of the server's certificate (``certificateCheck``, libpq's
    /// rules), and against which authorities; `nil` for `sslmode=disable`. The authorities of
    /// `sslrootcert` are read here, when the store opens: a file that cannot be read stops it,
    /// named, where every connection would otherwise fail its handshake.
    private func tlsConfiguration() throws -> TLSConfiguration? {
        guard tls != .disable else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification =
            switch certificateCheck {
            case .none: .none
            case .chain: .noHostnameVerification
            case .chainAndHost: .fullVerification
            }
        if let file = rootCertificatesFile {
            configuration.trustRoots = .certificates(try Self.authorities(in: file))
        }
        return configuration
    }

    /// Reads the authorities `sslrootcert` names where the store's connections would, for `check`.
    /// - Throws: ``PostgresStoreError/rootCertificates(path:problem:)``.
    package func checkRootCertificates() throws {
        if unixSocketPath == nil { _ = try tlsConfiguration() }
    }

    private static func authorities(in file: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: file) else {
            let problem = FileManager.default.fileExists(atPath: file) ? "cannot be read by this process" : "does not exist"
            throw PostgresStoreError.rootCertificates(path: file, problem: problem)
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(file)
        } catch {
            // BoringSSL's error says no more than that.
            throw PostgresStoreError.rootCertificates(path: file, problem: "is not a PEM file of certificates")
        }
        guard !certificates.isEmpty else {
            throw PostgresStoreError.rootCertificates(path: file, problem: "holds no PEM certificate")
        }
        return certificates
    }
}
