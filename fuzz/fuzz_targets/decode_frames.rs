//! Arbitrary bytes into both frame decoders: no panic, no unbounded allocation, and any
//! frame that decodes re-encodes to bytes that decode to the same frame.
//!
//! `cargo fuzz run decode_frames` (from `fuzz/`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = wren_proto::decode_client(data) {
        let bytes = wren_proto::encode(&frame).expect("a decoded frame encodes");
        assert_eq!(wren_proto::decode_client(&bytes).ok(), Some(frame));
    }
    if let Ok(frame) = wren_proto::decode_server(data) {
        let bytes = wren_proto::encode(&frame).expect("a decoded frame encodes");
        assert_eq!(wren_proto::decode_server(&bytes).ok(), Some(frame));
    }
});
