"""The package's Python API: what the command line calls, and what a scheduler can call directly.

Every function here can be called any number of times in one process. Heavy libraries (pandas,
matplotlib, Papermill, WeasyPrint) are imported only by the calls that need them.
"""
from __future__ import annotations

from pathlib import Path

from sangkien import inputs
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import exporters

DEFAULT_FORMATS = exporters.FORMATS


def load_inputs(year: int, params: str | Path | None = None, data: str | Path | None = None) -> tuple[Params, Register]:
    """The year's parameters and the register they name, both validated (ParamsError, then DataError)."""
    return inputs.load(year, params, data)


def check(file: str | Path, params: str | Path | None = None) -> Register:
    """Validate a register against the blocks and reorganisation of a parameters file (or of the latest
    year's in params/); ``Register.checked_with`` says which."""
    return inputs.check(file, params)


def collect(folder: str | Path, out: str | Path, params: str | Path | None = None, force: bool = False,
            into: str | Path | None = None):
    """Merge the registers the units sent (every .xlsx/.xls/.csv of ``folder``) into one register ``out``,
    checked as ``check`` checks a register (:func:`sangkien.inputs.validity`: the blocks, the reorganisation and
    the year of a parameters file, or of the latest year's in params/); ``into``: a multi-year register whose
    rows come first (never changed). Returns a :class:`~sangkien.tools.collect.Collected`. DataError lists
    every problem of every file (nothing written); ParamsError when ``out`` exists and ``force`` is not given."""
    from sangkien.tools.collect import collect as merge

    return merge(folder, out, inputs.validity(params), force=force, into=into)


def report_figures(year: int, params: str | Path | None = None, data: str | Path | None = None) -> dict:
    """The ``figures`` object of manifest.json for YEAR, building nothing."""
    from sangkien import figures

    year_params, register = inputs.load(year, params, data)
    return figures.manifest_figures(figures.frame(register), year_params.year, year_params.period_start,
                                    year_params.blocks)


def units_of_year(year: int, params: str | Path | None = None, data: str | Path | None = None) -> list[str]:
    """The units that put initiatives forward in YEAR (what ``build_unit`` takes), building nothing."""
    from sangkien import figures

    year_params, register = inputs.load(year, params, data)
    return figures.units_of_year(figures.frame(register), year_params.year)


def build_year(year: int, params: str | Path | None = None, data: str | Path | None = None,
               out: str | Path | None = None, formats=None, units: bool = False, force: bool = False,
               jobs: int | None = None, final: bool = False, reopen: str | None = None):
    """Build YEAR's report into ``out/YEAR/`` (default ``reports/``) when an input changed (or ``force``);
    returns a :class:`~sangkien.pipeline.build.BuildResult`. ``final``: the version to sign, refused
    (ParamsError) while a section, the document number, the issue date or the signer's name is empty.
    ``units`` False keeps the unit sheets of a year built with them, None drops them. A signed year is
    closed: kept when its inputs are unchanged, else ParamsError naming the signed file; ``reopen`` (the
    reason) moves the signed file and its manifest into ``YEAR/luu-tru/<when>/`` and rebuilds."""
    from sangkien.pipeline.build import build_year as build

    return build(year, params_file=params, data_file=data, out_dir=out, formats=tuple(formats or DEFAULT_FORMATS),
                 force=force, units=units, jobs=jobs, final=final, reopen=reopen)


def status(year: int | None = None, out: str | Path | None = None, params_dir: str | Path | None = None):
    """Where each year stands (or ``year``), building nothing: a list of
    :class:`~sangkien.pipeline.status.YearStatus` (rows, state ``draft``/``final``/``signed``, outputs,
    what the next step is missing)."""
    from sangkien.pipeline.status import status as of_years

    return of_years(year, out, params_dir)


def build_all(out: str | Path | None = None, formats=None, jobs: int | None = None, force: bool = False,
              units: bool = False, params_dir: str | Path | None = None, scheduler: str | None = None,
              final: bool = False) -> int:
    """Build every ``params/YEAR.yaml``, ``jobs`` at a time, or as tasks on the Dask cluster at ``scheduler``
    (``tcp://host:8786``; ``"local"`` starts one on this machine, ``jobs`` worker processes); returns the
    exit status. ``final``: each year as the version to sign (a year lacking something for it fails,
    naming it). A ``scheduler`` that is not an address, or ``jobs`` with a remote one: ParamsError; none
    answering there: SangkienError."""
    from sangkien.pipeline.batch import build_all as build

    return build(out_dir=out, formats=tuple(formats or DEFAULT_FORMATS), jobs=jobs, force=force, units=units,
                 params_dir=params_dir, scheduler=scheduler, final=final)


def build_unit(year: int, unit: str, params: str | Path | None = None, data: str | Path | None = None,
               out: str | Path | None = None, formats=None) -> dict[str, Path]:
    """One unit's result sheet into ``out/YEAR/don-vi/``, published as a build publishes and recorded in the
    year's manifest (a later ``build YEAR --units`` takes it as its own); returns ``{format: path}``."""
    from sangkien.pipeline.build import build_unit as build

    return build(year, unit, params_file=params, data_file=data, out_dir=out, formats=tuple(formats or DEFAULT_FORMATS))


def new_year(year: int, params_dir: str | Path | None = None) -> Path:
    """Write ``params/YEAR.yaml`` from last year's file; returns its path (never overwrites)."""
    from sangkien.tools.newyear import new_year as write

    return write(year, params_dir=params_dir)


def sign_pdf(pdf: str | Path, out: str | Path | None = None, *, p12: str | Path | None = None,
             pkcs11_lib: str | Path | None = None, key_label: str | None = None, password_env: str | None = None,
             image: str | Path | None = None, seal: str | Path | None = None, tsa: str | None = None,
             signer_as_printed: str | None = None, trust: str | Path | None = None, params: str | Path | None = None):
    """Sign a built report (PAdES, a visible stamp in its signature block) into a new file with a PKCS#12
    file or a PKCS#11 token; the password or PIN from the environment variable ``password_env``; with
    ``tsa``, time-stamped by that RFC 3161 service (PAdES B-T). Returns a
    :class:`~sangkien.signing.sign.Signed` (its ``warnings``: a certificate that does not chain to
    ``trust``, or else to a CA this machine trusts). SigningError (exit 2) before anything is written when
    the PDF is not a report of ours, the password is wrong, the certificate is not valid today, or its
    holder is not the signer the report prints (``signer_as_printed``: the printed name, accepted for a
    holder named otherwise); SangkienError (exit 1) when the time-stamping service does not answer. Times
    are in the ``timezone`` of ``params`` (default: the year's parameters, else the shared defaults)."""
    from sangkien.signing.sign import sign

    return sign(pdf, out, p12=p12, pkcs11_lib=pkcs11_lib, key_label=key_label, password_env=password_env,
                image=image, seal=seal, tsa=tsa, signer_as_printed=signer_as_printed, trust=trust, params=params)


def verify(pdf: str | Path, trust: str | Path | None = None):
    """Check a signed report as its receiver would (``sangkien verify``): returns a
    :class:`~sangkien.signing.verify.Verification` (``valid``, ``problems``, who signed and when, trusted or
    not, and whether the signed bytes are the build its year's manifest records). ``trust``: the CA (PEM or
    DER) the certificate must chain to; without it, the CAs this machine trusts, and an untrusted
    certificate is said but does not make the signature invalid. ParamsError (exit 2) when the file cannot
    be read."""
    from sangkien.signing.verify import verify as check

    return check(pdf, trust=trust)


def apply_edits(docx: str | Path, year: int | None = None, params: str | Path | None = None,
                out: str | Path | None = None, write: bool = False, accept_changes: bool = False):
    """Bring the analyst-written sections of a Word draft the office edited back into the year's parameters
    (``sangkien apply-edits``): returns a :class:`~sangkien.pipeline.edits.Edits` (each changed section's
    Markdown, a unified diff); ``write`` writes them into the parameters file (comments and order kept).
    The year is the draft's own unless given. ParamsError (exit 2) while tracked changes remain (unless
    ``accept_changes``), for a draft of another year or body, for an edit outside the sections (a table, a
    figure, a generated sentence, the letterhead), or when the year's draft (``out/YEAR/``) was never built."""
    from sangkien.inputs.params import load_params, params_path
    from sangkien.pipeline import edits

    year = year or edits.year_of(Path(docx))
    params_file = params_path(year, params)
    year_params = load_params(year, params_file, require_data=False)
    return edits.apply_edits(docx, year_params, params_file, out_dir=out, write=write, accept=accept_changes)
