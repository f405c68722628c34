"""Signal indicators: rules that raise them from answers, and the escalation advice they lead to."""
