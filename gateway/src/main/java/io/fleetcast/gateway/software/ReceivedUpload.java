package io.fleetcast.gateway.software;

import java.nio.file.Path;

/** A fully received package upload: the temporary file, its hash and size. */
public record ReceivedUpload(UploadRequest request, Path temp, String sha256, long size) {}
