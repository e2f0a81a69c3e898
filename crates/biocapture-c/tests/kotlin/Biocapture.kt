// The C ABI from Kotlin on the JVM through JNA: the path an Android app
// takes (with the .so packaged per ABI in jniLibs/). Assesses two prints
// and two portraits with Vietnamese hints and prints the verdicts; .ci/run
// compares the output with expected.txt beside this file.
//
//   kotlinc-jvm Biocapture.kt -cp jna.jar -d biocapture.jar
//   java -cp biocapture.jar:jna.jar:kotlin-stdlib.jar \
//       -Djna.library.path=DIR_OF_LIBBIOCAPTURE BiocaptureKt RAW_DIR
//
// RAW_DIR holds the test images as raw pixels (see examples/dump_raw.rs).

import com.sun.jna.IntegerType
import com.sun.jna.Library
import com.sun.jna.Native
import com.sun.jna.Pointer
import com.sun.jna.Structure
import com.sun.jna.ptr.PointerByReference
import java.io.File
import java.io.FileDescriptor
import java.io.FileOutputStream
import java.io.PrintStream
import java.util.Locale
import kotlin.system.exitProcess

/** C `size_t`. */
class SizeT(value: Long = 0) : IntegerType(Native.SIZE_T_SIZE, value, true) {
    constructor() : this(0)
    override fun toByte(): Byte = toLong().toByte()
    override fun toShort(): Short = toLong().toShort()
}

const val BC_STATUS_OK = 0
const val BC_STATUS_BUFFER_TOO_SMALL = 14
const val BC_LANG_VI = 1
const val BC_DECISION_PASS = 0
const val BC_MAX_FINDINGS = 32

@Structure.FieldOrder("reason", "severity", "code", "hint")
open class Finding : Structure() {
    @JvmField var reason: Int = 0
    @JvmField var severity: Int = 0
    @JvmField var code: Pointer? = null
    @JvmField var hint: Pointer? = null
}

@Structure.FieldOrder(
    "struct_size", "lang", "analysis", "min_side", "max_side", "max_pixels", "profile_json",
)
class FingerprintOptions : Structure() {
    @JvmField var struct_size: Int = 0
    @JvmField var lang: Int = 0
    @JvmField var analysis: Int = 0
    @JvmField var min_side: Int = 0
    @JvmField var max_side: Int = 0
    @JvmField var max_pixels: Long = 0
    @JvmField var profile_json: String? = null
    init { struct_size = size() }
}

@Structure.FieldOrder(
    "struct_size", "decision", "finding_count", "clarity", "mean_block_quality",
    "moisture_index", "moisture_class", "ridge_gaps", "bridged_fraction", "smudge_fraction",
    "smudge_largest_patch", "motion_blur", "residue_fraction", "foreground_fraction",
    "foreground_px_500", "ridge_period", "ridge_contrast", "mean_grey", "grey_sigma", "width",
    "height", "ppi", "block_px", "map_cols", "map_rows", "findings",
)
class FingerprintResult : Structure() {
    @JvmField var struct_size: Int = 0
    @JvmField var decision: Int = 0
    @JvmField var finding_count: Int = 0
    @JvmField var clarity: Float = 0f
    @JvmField var mean_block_quality: Float = 0f
    @JvmField var moisture_index: Float = 0f
    @JvmField var moisture_class: Int = 0
    @JvmField var ridge_gaps: Float = 0f
    @JvmField var bridged_fraction: Float = 0f
    @JvmField var smudge_fraction: Float = 0f
    @JvmField var smudge_largest_patch: Float = 0f
    @JvmField var motion_blur: Float = 0f
    @JvmField var residue_fraction: Float = 0f
    @JvmField var foreground_fraction: Float = 0f
    @JvmField var foreground_px_500: Long = 0
    @JvmField var ridge_period: Float = 0f
    @JvmField var ridge_contrast: Float = 0f
    @JvmField var mean_grey: Float = 0f
    @JvmField var grey_sigma: Float = 0f
    @JvmField var width: Int = 0
    @JvmField var height: Int = 0
    @JvmField var ppi: Int = 0
    @JvmField var block_px: Float = 0f
    @JvmField var map_cols: Int = 0
    @JvmField var map_rows: Int = 0
    @JvmField var findings: Array<Finding> = Array(BC_MAX_FINDINGS) { Finding() }
    init { struct_size = size() }
}

@Structure.FieldOrder(
    "struct_size", "lang", "min_side", "max_side", "max_pixels", "min_face_fraction",
    "detector_threshold",
)
class FaceOptions : Structure() {
    @JvmField var struct_size: Int = 0
    @JvmField var lang: Int = 0
    @JvmField var min_side: Int = 0
    @JvmField var max_side: Int = 0
    @JvmField var max_pixels: Long = 0
    @JvmField var min_face_fraction: Float = 0f
    @JvmField var detector_threshold: Double = 0.0
    init { struct_size = size() }
}

@Structure.FieldOrder("raw", "score")
open class Measure : Structure() {
    @JvmField var raw: Float = 0f
    @JvmField var score: Float = 0f
}

@Structure.FieldOrder(
    "struct_size", "decision", "finding_count", "face_count", "face_found", "face_x", "face_y",
    "face_width", "face_height", "left_eye_x", "left_eye_y", "right_eye_x", "right_eye_y",
    "ied_px", "roll_deg", "yaw_deg", "eye_line", "eye_mid_x", "head_width_ratio",
    "head_length_ratio", "head_outside", "photometric_found", "luminance_mean",
    "luminance_variance", "under_exposure", "over_exposure", "dynamic_range", "sharpness",
    "background_uniformity", "illumination_uniformity", "natural_colour", "width", "height",
    "findings",
)
class FaceResult : Structure() {
    @JvmField var struct_size: Int = 0
    @JvmField var decision: Int = 0
    @JvmField var finding_count: Int = 0
    @JvmField var face_count: Int = 0
    @JvmField var face_found: Int = 0
    @JvmField var face_x: Float = 0f
    @JvmField var face_y: Float = 0f
    @JvmField var face_width: Float = 0f
    @JvmField var face_height: Float = 0f
    @JvmField var left_eye_x: Float = 0f
    @JvmField var left_eye_y: Float = 0f
    @JvmField var right_eye_x: Float = 0f
    @JvmField var right_eye_y: Float = 0f
    @JvmField var ied_px: Float = 0f
    @JvmField var roll_deg: Float = 0f
    @JvmField var yaw_deg: Float = 0f
    @JvmField var eye_line: Float = 0f
    @JvmField var eye_mid_x: Float = 0f
    @JvmField var head_width_ratio: Float = 0f
    @JvmField var head_length_ratio: Float = 0f
    @JvmField var head_outside: Float = 0f
    @JvmField var photometric_found: Int = 0
    @JvmField var luminance_mean: Measure = Measure()
    @JvmField var luminance_variance: Measure = Measure()
    @JvmField var under_exposure: Measure = Measure()
    @JvmField var over_exposure: Measure = Measure()
    @JvmField var dynamic_range: Measure = Measure()
    @JvmField var sharpness: Measure = Measure()
    @JvmField var background_uniformity: Measure = Measure()
    @JvmField var illumination_uniformity: Measure = Measure()
    @JvmField var natural_colour: Measure = Measure()
    @JvmField var width: Int = 0
    @JvmField var height: Int = 0
    @JvmField var findings: Array<Finding> = Array(BC_MAX_FINDINGS) { Finding() }
    init { struct_size = size() }
}

@Suppress("FunctionName")
interface Biocapture : Library {
    fun bc_abi_version(): Int
    fun bc_last_error_message(buf: ByteArray?, cap: SizeT): SizeT
    fun bc_status_name(status: Int): String?
    fun bc_fingerprint_assessor_new(options: FingerprintOptions?, out: PointerByReference): Int
    fun bc_fingerprint_assessor_free(assessor: Pointer?)
    fun bc_fingerprint_assess(
        assessor: Pointer, data: ByteArray, width: Int, height: Int, stride: SizeT, ppi: Int,
        out: FingerprintResult,
    ): Int
    fun bc_fingerprint_quality_map(
        assessor: Pointer, buf: ByteArray?, cap: SizeT, cols: IntArray, rows: IntArray,
    ): Int
    fun bc_face_assessor_new(options: FaceOptions?, out: PointerByReference): Int
    fun bc_face_assessor_free(assessor: Pointer?)
    fun bc_face_assess_rgb(
        assessor: Pointer, data: ByteArray, width: Int, height: Int, stride: SizeT,
        out: FaceResult,
    ): Int
}

val lib: Biocapture = Native.load("biocapture", Biocapture::class.java)

class Raw(val width: Int, val height: Int, val channels: Int, val pixels: ByteArray)

/** Reads `BCRAW <width> <height> <channels>\n` and the pixels. */
fun readRaw(file: File): Raw {
    val bytes = file.readBytes()
    val eol = bytes.indexOf('\n'.code.toByte())
    val (magic, w, h, c) = String(bytes, 0, eol, Charsets.US_ASCII).split(" ")
    require(magic == "BCRAW") { "$file is not a raw image" }
    return Raw(w.toInt(), h.toInt(), c.toInt(), bytes.copyOfRange(eol + 1, bytes.size))
}

fun check(status: Int, what: String) {
    if (status != BC_STATUS_OK) {
        val buf = ByteArray(lib.bc_last_error_message(null, SizeT(0)).toInt())
        lib.bc_last_error_message(buf, SizeT(buf.size.toLong()))
        System.err.println("$what: ${lib.bc_status_name(status)}: ${String(buf, Charsets.UTF_8).trimEnd('\u0000')}")
        exitProcess(1)
    }
}

fun verdict(decision: Int, findings: Array<Finding>, count: Int, out: PrintStream) {
    val codes = findings.take(count).map { it.code!!.getString(0, "UTF-8") }
    out.println("  ${if (decision == BC_DECISION_PASS) "pass" else "retake"} ${codes.joinToString(" ")}".trimEnd())
    for (f in findings.take(count)) {
        out.println("    ${f.code!!.getString(0, "UTF-8")}: ${f.hint!!.getString(0, "UTF-8")}")
    }
}

fun main(args: Array<String>) {
    val out = PrintStream(FileOutputStream(FileDescriptor.out), true, "UTF-8")
    val raw = File(args.getOrElse(0) { "raw" })
    out.println("abi ${lib.bc_abi_version()}")

    val fpResultSize = FingerprintResult().size()
    val faceResultSize = FaceResult().size()
    out.println("struct sizes $fpResultSize $faceResultSize")

    val fpOptions = FingerprintOptions().apply { lang = BC_LANG_VI }
    val fpRef = PointerByReference()
    check(lib.bc_fingerprint_assessor_new(fpOptions, fpRef), "fingerprint assessor")
    val fp = fpRef.value
    for (name in listOf("clean_arch_512", "wet")) {
        val img = readRaw(File(raw, "fingerprint/$name.gray"))
        val r = FingerprintResult()
        check(
            lib.bc_fingerprint_assess(fp, img.pixels, img.width, img.height, SizeT(img.width.toLong()), 500, r),
            name,
        )
        out.println(
            String.format(Locale.ROOT, "fingerprint $name.png: clarity %.1f, moisture %+.2f", r.clarity, r.moisture_index),
        )
        verdict(r.decision, r.findings, r.finding_count, out)
        val cols = IntArray(1)
        val rows = IntArray(1)
        val status = lib.bc_fingerprint_quality_map(fp, null, SizeT(0), cols, rows)
        if (status != BC_STATUS_BUFFER_TOO_SMALL) check(status, "quality map size")
        val map = ByteArray(cols[0] * rows[0])
        check(lib.bc_fingerprint_quality_map(fp, map, SizeT(map.size.toLong()), cols, rows), "quality map")
        out.println("  quality map ${cols[0]}x${rows[0]}, best block ${map.maxOf { it.toInt() and 0xff }}")
    }
    lib.bc_fingerprint_assessor_free(fp)

    val faceOptions = FaceOptions().apply { lang = BC_LANG_VI }
    val faceRef = PointerByReference()
    check(lib.bc_face_assessor_new(faceOptions, faceRef), "face assessor")
    val face = faceRef.value
    for (name in listOf("astronaut", "well_framed")) {
        val img = readRaw(File(raw, "face/$name.rgb"))
        val r = FaceResult()
        check(
            lib.bc_face_assess_rgb(face, img.pixels, img.width, img.height, SizeT(3L * img.width), r),
            name,
        )
        out.println(
            String.format(
                Locale.ROOT, "face $name: eyes (%.1f, %.1f) (%.1f, %.1f), IED %.1f px",
                r.left_eye_x, r.left_eye_y, r.right_eye_x, r.right_eye_y, r.ied_px,
            ),
        )
        verdict(r.decision, r.findings, r.finding_count, out)
    }
    lib.bc_face_assessor_free(face)
}
