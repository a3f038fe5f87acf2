import time

from django.core.management.base import BaseCommand

from cms.webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = "Sendet fällige Webhook-Zustellungen (Outbox) mit Wiederholungen und exponentiellem Backoff."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Fällige Zustellungen senden und beenden.")
        parser.add_argument("--max-batch", type=int, default=100, help="Höchstens so viele Versuche pro Durchlauf.")
        parser.add_argument("--sleep", type=float, default=2.0, help="Pause in Sekunden, wenn nichts fällig ist.")

    def handle(self, *args, once=False, max_batch=100, sleep=2.0, **options):
        if once:
            total = 0
            # Keep going while full batches come back, so that --once empties the queue of everything due now.
            while True:
                sent = deliver_due(max_batch=max_batch)
                total += sent
                if sent < max_batch:
                    break
            self.stdout.write(f"{total} Zustellversuch(e).")
            return
        try:
            while True:
                if deliver_due(max_batch=max_batch) < max_batch:
                    time.sleep(sleep)
        except KeyboardInterrupt:
            return
