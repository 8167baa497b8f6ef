/**
 * Opaque resource ids shaped like the spec's example `NzAwNTUxOTA5NzczMTQ4MTYw` (base64 of the decimal
 * string "700551909773148160"), so clients that wrongly treat ids as numbers fail here too.
 */
export class ResourceIds {
  private last = 700551909773148160n;

  next(): string {
    this.last += 1n;
    return Buffer.from(this.last.toString()).toString('base64');
  }
}
