"""A pyHanko signature whose times are the office's and whose metadata stays PDF/A-consistent.

Written for pyHanko 0.38.0 (``pyhanko.pdf_utils.writer.BasePdfFileWriter._update_meta``,
``pyhanko.sign.signers.pdf_signer.PdfSigningSession.system_time``). Two things pyHanko does in the
signature's incremental update that an archived PDF/A-2b report cannot keep:

- the metadata: pyHanko appends itself to the Info dictionary's ``/Producer`` ("WeasyPrint …; pyHanko …")
  but writes ``pdf:Producer`` "pyHanko …" into the XMP, and it writes ``xmp:ModifyDate`` without an Info
  ``/ModDate``. PDF/A requires every Info entry to equal its XMP property. :func:`office_writer` gives an
  incremental writer that, after pyHanko's update, writes one Producer (Info's) into both and one
  modification time (the signing time) as ``/ModDate`` and ``xmp:ModifyDate``.
- the time: pyHanko takes the signature dictionary's ``/M`` (and the XMP dates) from the machine's
  clock zone. :func:`office_signer` gives a PdfSigner whose signing session uses the time it is given
  (the office's zone), whatever the machine's ``TZ``.

Check both whenever the pin moves: the metadata test of ``tests/pipeline/test_sign.py`` reads every
field PDF/A ties, and the time test signs with ``TZ=UTC``.
"""
from __future__ import annotations

import datetime
import functools
import io


@functools.cache
def _classes():
    """The writer and signer classes, made on first use (pyHanko is imported only by signing)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata import model, xmp_xml
    from pyhanko.sign.signers import PdfSigner

    class OfficeWriter(IncrementalPdfFileWriter):
        """An incremental writer whose Info and XMP agree on Producer and the modification time."""

        modified: datetime.datetime

        def _update_meta(self):
            super()._update_meta()
            info = self._info.get_object() if self._info is not None else None
            producer = str(info["/Producer"]) if info is not None and "/Producer" in info else model.VENDOR
            if info is not None:
                info["/ModDate"] = generic.pdf_date(self.modified)
                self.mark_update(self._info)
            stream = self.root["/Metadata"] if "/Metadata" in self.root else None  # (get() would not resolve it)
            if isinstance(stream, xmp_xml.MetadataStream):
                fields = {key: value for root in stream.xmp for key, value in root}
                fields[model.PDF_PRODUCER] = model.XmpValue(producer)
                fields[model.XMP_MODDATE] = model.XmpValue(self.modified.replace(microsecond=0).isoformat())
                stream._xmp = [model.XmpStructure(fields)]
                stream._reserialise()
                stream._encoded_data = None
                self.update_container(stream)

    class OfficeSigner(PdfSigner):
        """A PdfSigner whose signing session's time (``/M``) is ``signing_time``."""

        signing_time: datetime.datetime

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = self.signing_time
            return session

    return OfficeWriter, OfficeSigner


def office_writer(data: bytes, modified: datetime.datetime):
    """An incremental writer over the PDF ``data`` whose update writes ``modified`` (an aware time) as the
    document's modification time, and one Producer in Info and XMP."""
    writer = _classes()[0](io.BytesIO(data))
    writer.modified = modified
    return writer


def office_signer(signing_time: datetime.datetime, *args, **kwargs):
    """pyHanko's PdfSigner (``*args`` and ``**kwargs`` as it takes them) signing at ``signing_time``."""
    signer = _classes()[1](*args, **kwargs)
    signer.signing_time = signing_time
    return signer
