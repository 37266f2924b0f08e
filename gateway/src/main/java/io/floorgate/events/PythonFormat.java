package io.floorgate.events;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Number formatting as the seed's f-strings print it, so messages read the same as the reference
 * implementation's: {@code str(float)} and {@code {x:.2f}}.
 */
public final class PythonFormat {
  private PythonFormat() {}

  /** Python's {@code str(float)}: {@code 25.0}, {@code 0.0001}, {@code 1e-05}, {@code 1e+16}. */
  public static String str(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    // Java's Double.toString gives the same shortest digits as Python's repr; only the layout
    // differs: Python switches to exponent form below 1e-4 and from 1e16 on.
    BigDecimal shortest = new BigDecimal(Double.toString(value));
    double magnitude = Math.abs(value);
    if (magnitude >= 1e-4 && magnitude < 1e16) {
      String plain = shortest.stripTrailingZeros().toPlainString();
      return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }
    BigDecimal unscaled = shortest.stripTrailingZeros();
    int exponent = unscaled.precision() - unscaled.scale() - 1;
    BigDecimal mantissa = unscaled.movePointLeft(exponent);
    String digits = mantissa.toPlainString();
    String sign = exponent < 0 ? "-" : "+";
    int abs = Math.abs(exponent);
    return digits + "e" + sign + (abs < 10 ? "0" : "") + abs;
  }

  /** Python's {@code f"{value:.2f}"}: the exact binary value rounded half-even. */
  public static String fixed2(double value) {
    if (!Double.isFinite(value)) {
      return str(value);
    }
    return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }
}
