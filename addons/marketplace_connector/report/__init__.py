from . import invoice_segment_report
