// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .executable(name: "switchboard-bench", targets: ["switchboard-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // jwt-kit 5.7.1 and later require swift-crypto 4.1 or newer, so crypto is on its 4.x line.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Room in the running task's allocator for a deep path's frames (the runtime's own entry
        // points, which Swift code cannot name).
        .target(name: "CTaskStack"),
        // Pure logic: phone numbers, configuration, routing, rendering, the send interface. No I/O.
        .target(
            name: "SwitchboardCore",
            dependencies: [
                "CTaskStack",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A strict JSON reader and writer of our own, kept off Foundation for the per-request paths.
        .target(
            name: "SwitchboardJSON",
            swiftSettings: swiftSettings
        ),
        // libxml2, for parsing provider XML (SOAP). `scripts/setup` installs it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // Safe XML parsing (no DTDs, no external entities, size limits), XPath and escaping.
        .target(
            name: "SwitchboardXML",
            dependencies: ["CLibXML2"],
            swiftSettings: swiftSettings
        ),
        // I/O adapters that deliver messages.
        .target(
            name: "SwitchboardProviders",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardJSON",
                "SwitchboardXML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Storage: the memory and SQLite implementations of the Core store protocols.
        .target(
            name: "SwitchboardStore",
            dependencies: [
                "SwitchboardCore",
                // Nothing imports SQLiteNIO: it is here only to carry `VaporCSQLite`, its vendored
                // SQLite, which the store calls directly (an implicit import of a non-product module,
                // see SQLite/Connection/SQLiteStatement.swift). One SQLite for the whole process.
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The pool's errors, which say when a statement waited for a connection in vain.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                // PostgresNIO's TLS settings are NIOSSL's types.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The OTP login flow: codes, policies, lockout, limits, client auth, tokens and JWKS.
        .target(
            name: "SwitchboardOTP",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API.
        .target(
            name: "SwitchboardServer",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardJSON",
                "SwitchboardOTP",
                "SwitchboardProviders",
                "SwitchboardStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                // Its HTTP/1 child channel is rebuilt with our connection handlers (Connection/).
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // Reload: the configuration's hash, file reads off the event loops, SIGHUP.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The API description, served at GET /openapi.json; the console page, at GET /console.
            resources: [
                .copy("OpenAPI/openapi.json"), .copy("Console/console.html"), .copy("Console/console.js"), .copy("Console/console.css"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardProviders",
                "SwitchboardServer",
                "SwitchboardStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "switchboard-bench",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardJSON",
                "SwitchboardProviders",
                "SwitchboardServer",
                "SwitchboardStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/switchboard-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardCoreTests",
            dependencies: [
                "SwitchboardCore", "SwitchboardStore", "SwitchboardTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardStoreTests",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardStore",
                "SwitchboardTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The C library's GNU extensions that the tests' ChildProcess starts programs with.
        .target(name: "CChildSpawn", path: "Tests/CChildSpawn"),
        // What the test targets share: fake providers (Twilio, Marketing Cloud, Mosaic gateway, Vonage)
        // on loopback, a scripted in-process provider, a clock moved by hand. For tests only.
        .target(
            name: "SwitchboardTestSupport",
            dependencies: [
                "CChildSpawn",
                "SwitchboardCore",
                "SwitchboardStore",
                "SwitchboardXML",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SwitchboardTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardProvidersTests",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardProviders",
                "SwitchboardTestSupport",
                "SwitchboardXML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // Read from the checkout by path (`repositoryPath`) by the tools that check the wire.
            exclude: ["Schemas"],
            swiftSettings: swiftSettings
        ),
        // The command-line tool: what it prints.
        .testTarget(
            name: "SwitchboardCLITests",
            dependencies: ["switchboard", "SwitchboardCore", "SwitchboardStore", "SwitchboardTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardJSONTests",
            dependencies: ["SwitchboardJSON"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardXMLTests",
            dependencies: ["SwitchboardXML", "CLibXML2"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardServerTests",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardJSON",
                "SwitchboardServer",
                "SwitchboardStore",
                "SwitchboardProviders",
                "SwitchboardTestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardOTPTests",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardOTP",
                "SwitchboardProviders",
                "SwitchboardServer",
                "SwitchboardStore",
                "SwitchboardTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
