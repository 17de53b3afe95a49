#!/usr/bin/env python3
"""Checks one iCalendar file with two independent parsers and prints a JSON summary.

1. python3-icalendar: parses the whole file (Calendar.from_ical); every component's parse errors
   must be empty; VCALENDAR has VERSION 2.0, PRODID and CALSCALE; each VEVENT has UID, DTSTAMP,
   DTSTART and, if its DTSTART names a TZID, a VTIMEZONE with that TZID exists; each VALARM has
   ACTION, TRIGGER and (for DISPLAY) DESCRIPTION.
2. libical (ICalGLib 3.0): parses the file, runs libical's RFC 5546 restriction check for the
   calendar's METHOD, and fails on any X-LIC-ERROR property it added; expands each RRULE with
   libical's recurrence iterator and reports the occurrence count, first and last local start.
Exit 0 when both accept, 1 when either rejects, 3 when a validator is not installed.
"""
import json
import sys

INSTALL = "install it with .ci/install-export-validators"


def missing(what):
    print("VALIDATOR MISSING: %s is not installed; %s" % (what, INSTALL))
    sys.exit(3)


try:
    import icalendar
except ImportError:
    missing("python3-icalendar (python module icalendar)")
try:
    import gi
    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib
except (ImportError, ValueError):
    missing("libical's Python binding (Debian packages python3-gi and gir1.2-ical-3.0)")


def check_python_icalendar(data, errors):
    cal = icalendar.Calendar.from_ical(data)
    for comp in cal.walk():
        for prop, err in getattr(comp, "errors", []):
            errors.append("icalendar: %s %s: %s" % (comp.name, prop, err))
    if cal.name != "VCALENDAR":
        errors.append("icalendar: top component is %s, not VCALENDAR" % cal.name)
    if str(cal.get("VERSION")) != "2.0":
        errors.append("icalendar: VERSION is not 2.0")
    for key in ("PRODID", "CALSCALE"):
        if key not in cal:
            errors.append("icalendar: VCALENDAR lacks %s" % key)
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    events = cal.walk("VEVENT")
    for ev in events:
        for key in ("UID", "DTSTAMP", "DTSTART"):
            if key not in ev:
                errors.append("icalendar: VEVENT %s lacks %s" % (ev.get("UID"), key))
        tzid = ev["DTSTART"].params.get("TZID") if "DTSTART" in ev else None
        if tzid and tzid not in tzids:
            errors.append("icalendar: TZID %s has no VTIMEZONE" % tzid)
        for alarm in ev.walk("VALARM"):
            for key in ("ACTION", "TRIGGER"):
                if key not in alarm:
                    errors.append("icalendar: VALARM in %s lacks %s" % (ev.get("UID"), key))
            if str(alarm.get("ACTION")) == "DISPLAY" and "DESCRIPTION" not in alarm:
                errors.append("icalendar: DISPLAY VALARM in %s lacks DESCRIPTION" % ev.get("UID"))
    return len(events)


def lic_errors(comp, errors):
    prop = comp.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        errors.append("libical: %s: %s" % (ICalGLib.Component.kind_to_string(comp.isa()),
                                           prop.as_ical_string().strip()))
        prop = comp.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = comp.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        lic_errors(child, errors)
        child = comp.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)


def check_libical(text, errors):
    comp = ICalGLib.Component.new_from_string(text)
    if comp is None:
        errors.append("libical: could not parse the file")
        return []
    comp.check_restrictions()
    lic_errors(comp, errors)
    events = []
    ev = comp.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    while ev is not None:
        info = {"uid": ev.get_uid(), "sequence": ev.get_sequence(), "summary": ev.get_summary()}
        start = ev.get_dtstart()
        info["dtstart"] = start.as_ical_string()
        rprop = ev.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY)
        if rprop is not None:
            it = ICalGLib.RecurIterator.new(rprop.get_rrule(), start)
            occurrences = []
            t = it.next()
            while t is not None and not t.is_null_time() and len(occurrences) < 1000:
                occurrences.append(t.as_ical_string())
                t = it.next()
            info["occurrences"] = len(occurrences)
            info["first"] = occurrences[0] if occurrences else None
            info["last"] = occurrences[-1] if occurrences else None
        events.append(info)
        ev = comp.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    return events


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    errors = []
    try:
        n = check_python_icalendar(data, errors)
    except Exception as e:  # a parse failure is a rejection, reported with its reason
        errors.append("icalendar: %s: %s" % (type(e).__name__, e))
        n = -1
    events = check_libical(data.decode("utf-8"), errors)
    print(json.dumps({"icalendar_events": n, "libical_events": events, "errors": errors}, indent=1))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
