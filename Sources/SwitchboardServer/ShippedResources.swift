import Foundation
import NIOCore

/// The files shipped with this target (the console's, the API description), where SwiftPM
/// installs them: the folder `switchboard_SwitchboardServer.resources` beside the running binary,
/// as it is beside the build folder's own.
///
/// Not `Bundle.module`: without that folder it tries the folder the binary was built in, and
/// stops the process when that is missing too, so a binary deployed without its folder would stop
/// at the first request for one of these files, which anyone may send. Here they are then absent,
/// and their routes answer `404`.
enum ShippedResources {
    private static let bundle = Bundle(url: Bundle.main.bundleURL.appendingPathComponent("switchboard_SwitchboardServer.resources"))

    /// The file's bytes, or `nil` when it was not shipped.
    static func contents(of name: String, withExtension ext: String) -> ByteBuffer? {
        bundle?.url(forResource: name, withExtension: ext)
            .flatMap { try? Data(contentsOf: $0) }
            .map { ByteBuffer(bytes: $0) }
    }
}
