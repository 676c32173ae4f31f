"""Demo Q&A board: a dozen threads in the words of a provincial cooperative office's staff
(inspection, audits, loans, meeting rules), most answered, some accepted, with "useful" votes,
one question asked of an expert, and one old question nobody has answered yet.

Everything is written through the services; only the timestamps are moved back afterwards, so
the threads look as if they were written over the past weeks (and the old question is past
``KM_UNANSWERED_DAYS``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.core.choices import KMStep
from apps.notifications.services import no_email

from . import services
from .models import Answer, Question

# asker, title, body, tags, step, days ago, answers [(author, body, voters)], accepted index
THREADS = [
    ("prasert", "การตรวจการสหกรณ์ประจำปี ต้องแจ้งสหกรณ์ล่วงหน้ากี่วัน",
     "ปีนี้ได้รับมอบหมายให้ตรวจการสหกรณ์ภาคการเกษตร 3 แห่ง อยากทราบว่าต้องมีหนังสือแจ้งล่วงหน้ากี่วัน "
     "และต้องแนบแบบรายการตรวจอะไรไปด้วยบ้างครับ",
     ["การตรวจการสหกรณ์"], KMStep.ACCESS, 40,
     [("anan", "โดยทั่วไปมีหนังสือแจ้งสหกรณ์ล่วงหน้าอย่างน้อย **7 วันทำการ** ระบุวันเวลาและเอกสารที่ต้องเตรียม "
       "เช่น รายงานการประชุมใหญ่ งบการเงินปีล่าสุด ทะเบียนสมาชิก และสมุดบัญชีเงินฝาก "
       "แนบแบบรายการตรวจการสหกรณ์ฉบับล่าสุดของกรมไปด้วย เพื่อให้สหกรณ์เตรียมข้อมูลได้ครบ",
       ["prasert", "jintana", "staff"]),
      ("kannika", "เสริมครับ ถ้าเป็นการตรวจกรณีมีเรื่องร้องเรียน ไม่ต้องแจ้งล่วงหน้าก็ได้ ให้ปรึกษาหัวหน้ากลุ่มก่อน",
       ["prasert"])], 0),
    ("jintana", "สหกรณ์ไม่ส่งงบการเงินภายใน 150 วัน ต้องดำเนินการอย่างไร",
     "สหกรณ์ในความรับผิดชอบแห่งหนึ่งปิดบัญชีแล้วแต่ยังไม่ส่งงบการเงินให้ผู้สอบบัญชีตรวจ เลยกำหนดมาแล้ว "
     "ควรทำหนังสือเตือนหรือรายงานนายทะเบียนก่อนคะ",
     ["การสอบบัญชี", "กฎหมายสหกรณ์"], KMStep.ACCESS, 33,
     [("suwit", "ขั้นแรกให้มีหนังสือเร่งรัดถึงคณะกรรมการดำเนินการ พร้อมนัดวันส่งที่ชัดเจน "
       "ถ้ายังไม่ส่ง ให้รายงานนายทะเบียนสหกรณ์เพื่อพิจารณาออกคำสั่งตามกฎหมายว่าด้วยสหกรณ์ "
       "ระหว่างนี้ช่วยสหกรณ์ดูว่าติดขัดตรงไหน ส่วนใหญ่ติดเรื่องการตรวจนับสินค้าคงเหลือ",
       ["jintana", "malee", "ratchanee"])], 0),
    ("staff", "ลูกหนี้เงินกู้ผิดนัดชำระ สหกรณ์ควรตั้งค่าเผื่อหนี้สงสัยจะสูญอย่างไร",
     "สมาชิกผิดนัดหลายรายหลังน้ำท่วมปีที่แล้ว อยากได้หลักการคร่าว ๆ ไปอธิบายให้ฝ่ายจัดการสหกรณ์ฟังครับ",
     ["เงินกู้", "การบัญชีสหกรณ์"], KMStep.CREATE, 28,
     [("suwit", "ให้จัดชั้นลูกหนี้ตามระยะเวลาค้างชำระตามระเบียบนายทะเบียนสหกรณ์ แล้วตั้งค่าเผื่อตามอัตราของแต่ละชั้น "
       "ลูกหนี้ที่ได้รับผลกระทบจากภัยพิบัติและสหกรณ์ผ่อนปรนการชำระหนี้แล้ว ให้ดูตามมติที่ประชุมประกอบด้วย",
       ["staff", "wilai"]),
      ("malee", "ลองใช้ตารางอายุลูกหนี้ที่กลุ่มส่งเสริมทำไว้ในมุมความรู้ได้ค่ะ ช่วยให้อธิบายกับกรรมการได้ง่ายขึ้น",
       ["staff"])], 0),
    ("ratchanee", "ประชุมใหญ่สามัญประจำปี สมาชิกมาไม่ครบองค์ประชุม ต้องทำอย่างไร",
     "สหกรณ์มีสมาชิก 820 คน วันประชุมใหญ่มาเพียง 300 คน ไม่ครบกึ่งหนึ่ง จะนัดประชุมใหม่ได้เมื่อไร "
     "และครั้งหน้าต้องมีองค์ประชุมเท่าไรคะ",
     ["ข้อบังคับสหกรณ์", "การประชุมใหญ่"], KMStep.ACCESS, 21,
     [("anan", "ให้ดูข้อบังคับของสหกรณ์เรื่ององค์ประชุมก่อน ส่วนใหญ่กำหนดว่าถ้าไม่ครบองค์ประชุม "
       "ให้นัดประชุมใหม่ภายใน 14 วัน และการประชุมครั้งหลังต้องมีสมาชิกมาไม่น้อยกว่าที่ข้อบังคับกำหนด "
       "อย่าลืมบันทึกในรายงานการประชุมว่าไม่ครบองค์ประชุม",
       ["ratchanee", "prasert", "jintana"])], 0),
    ("kannika", "ผู้ตรวจสอบกิจการต้องส่งรายงานผลการตรวจสอบทุกเดือนหรือไม่",
     "สหกรณ์ขนาดเล็กแห่งหนึ่งมีผู้ตรวจสอบกิจการคนเดียว ส่งรายงานไตรมาสละครั้ง ถือว่าถูกต้องหรือไม่คะ",
     ["การตรวจการสหกรณ์"], KMStep.ACCESS, 18,
     [("wilai", "ให้ยึดตามข้อบังคับและระเบียบของสหกรณ์นั้น ถ้าข้อบังคับกำหนดรายเดือน ต้องรายงานรายเดือน "
       "และเสนอต่อที่ประชุมคณะกรรมการดำเนินการทุกครั้ง ถ้าสหกรณ์เล็กจริงอาจเสนอแก้ข้อบังคับในการประชุมใหญ่",
       ["kannika"]),
      ("prasert", "ที่ผมเคยเจอ สหกรณ์แก้ข้อบังคับเป็นรายไตรมาสได้ แต่ต้องผ่านนายทะเบียนรับจดทะเบียนก่อนนะครับ",
       [])], None),
    ("malee", "การให้เงินกู้ฉุกเฉินแก่สมาชิก วงเงินสูงสุดต้องเป็นไปตามระเบียบใด",
     "สหกรณ์ออมทรัพย์ถามมาว่าจะขยายวงเงินกู้ฉุกเฉินจาก 30,000 เป็น 50,000 บาท ต้องแก้ระเบียบอะไรบ้าง",
     ["เงินกู้", "ระเบียบสหกรณ์"], KMStep.ACCESS, 15,
     [("wilai", "วงเงินกู้ฉุกเฉินกำหนดในระเบียบว่าด้วยการให้เงินกู้แก่สมาชิกของสหกรณ์เอง "
       "คณะกรรมการดำเนินการแก้ระเบียบได้ แต่ต้องไม่เกินวงเงินกู้ยืมที่ที่ประชุมใหญ่อนุมัติ "
       "และส่งสำเนาระเบียบให้นายทะเบียนภายใน 30 วัน",
       ["malee", "staff"])], 0),
    ("prasert", "ตรวจพบเงินสดในมือเกินวงเงินที่ระเบียบกำหนด ควรเขียนข้อสังเกตอย่างไร",
     "ตรวจนับเงินสดเมื่อวานพบเงินสดในมือ 180,000 บาท ระเบียบกำหนดไม่เกิน 50,000 บาท",
     ["การตรวจการสหกรณ์", "การควบคุมภายใน"], KMStep.CODIFY, 12,
     [("suwit", "เขียนข้อเท็จจริง (ยอดที่ตรวจนับ วันเวลา ผู้ร่วมนับ) เทียบกับระเบียบข้อที่กำหนดวงเงิน "
       "แล้วให้ข้อเสนอแนะให้นำฝากธนาคารภายในวันทำการถัดไป และให้ผู้จัดการชี้แจงเหตุผล "
       "ติดตามผลในการตรวจครั้งต่อไป",
       ["prasert", "anan", "kannika", "jintana"])], 0),
    ("staff", "ขอตัวอย่างรายงานการประชุมคณะกรรมการดำเนินการที่เขียนมติถูกต้อง",
     "สหกรณ์ที่ดูแลเขียนมติสั้นมาก เช่น \"ที่ประชุมรับทราบ\" ในเรื่องที่ต้องอนุมัติ อยากได้ตัวอย่างไปแนะนำครับ",
     ["การประชุม", "รายงานการประชุม"], KMStep.CODIFY, 9,
     [("pranee", "มติที่ดีควรบอกว่า *อนุมัติอะไร วงเงินเท่าไร ใครรับไปดำเนินการ เมื่อไร* "
       "เช่น \"ที่ประชุมมีมติอนุมัติเงินกู้แก่สมาชิก 12 ราย รวม 1,250,000 บาท ตามบัญชีแนบ "
       "มอบผู้จัดการดำเนินการภายในวันที่ 15\" ในมุมความรู้มีชุดความรู้เรื่องการเขียนรายงานการประชุมด้วย",
       ["staff", "ratchanee"])], None),
    ("jintana", "สหกรณ์ขอกู้เงินกองทุนพัฒนาสหกรณ์ ต้องเตรียมเอกสารอะไรบ้าง",
     "สหกรณ์การเกษตรจะขอกู้ กพส. ไปรวบรวมผลผลิตปาล์มน้ำมัน ต้องมีเอกสารและมติอะไรประกอบคำขอคะ",
     ["เงินกู้", "กองทุนพัฒนาสหกรณ์"], KMStep.ACCESS, 7,
     [("malee", "ต้องมีมติคณะกรรมการดำเนินการให้ยื่นกู้ แผนการใช้เงินและประมาณการรายรับรายจ่าย "
       "งบการเงินย้อนหลัง 2 ปี และรายงานผลการตรวจสอบกิจการ ดูแบบฟอร์มล่าสุดได้ในมุมความรู้ค่ะ",
       ["jintana"])], None),
    ("kannika", "แนวทางตรวจติดตามการแก้ไขข้อบกพร่องของสหกรณ์ หลังนายทะเบียนมีคำสั่ง",
     "",
     ["การตรวจการสหกรณ์", "กฎหมายสหกรณ์"], KMStep.LEARN, 5,
     [("anan", "ทำแผนติดตามรายเดือนร่วมกับสหกรณ์ ระบุข้อบกพร่องแต่ละข้อ ผู้รับผิดชอบ และกำหนดเสร็จ "
       "รายงานความคืบหน้าให้นายทะเบียนทุกเดือนจนแก้ไขครบ",
       ["kannika"])], 0),
    ("ratchanee", "การนับสินค้าคงเหลือปลายปีของร้านค้าสหกรณ์ ใครต้องร่วมนับบ้าง",
     "ร้านค้าสหกรณ์มีสินค้ากว่า 400 รายการ ปีนี้อยากให้นับเสร็จภายในวันเดียว",
     ["การสอบบัญชี", "การควบคุมภายใน"], KMStep.SHARE, 4,
     [], None),
    ("prasert", "สหกรณ์จะจ่ายเงินปันผลเกินอัตราที่กฎกระทรวงกำหนดได้หรือไม่",
     "กรรมการอยากจ่ายปันผลร้อยละ 12 เพราะปีนี้กำไรดี ผมควรแนะนำอย่างไรครับ",
     ["กฎหมายสหกรณ์", "การจัดสรรกำไร"], KMStep.ACCESS, 2,
     [], None),
]  # fmt: skip
ASKED = {"การนับสินค้าคงเหลือปลายปีของร้านค้าสหกรณ์ ใครต้องร่วมนับบ้าง": ["suwit"]}


def seed(stdout) -> None:
    """Create the threads that are missing, through the services (idempotent by title)."""
    with no_email():
        _seed(stdout)


def _seed(stdout) -> None:
    people = {user.username: user for user in User.objects.all()}
    if "prasert" not in people:
        stdout.write("Q&A board: the demo people are missing; nothing created.")
        return
    now = timezone.now()
    created = 0
    for asker, title, body, tags, step, days, answers, accepted in THREADS:
        if Question.objects.filter(title=title).exists():
            continue
        question = services.question_ask(
            by=people[asker],
            title=title,
            body=body,
            tags=tags,
            km_step=step,
            ask=[people[name] for name in ASKED.get(title, [])],
        )
        asked_at = now - dt.timedelta(days=days, hours=3)
        posted: list[Answer] = []
        for number, (author, text, voters) in enumerate(answers):
            answer = services.answer_post(by=people[author], question=question, body=text)
            for voter in voters:
                services.vote_toggle(by=people[voter], question=question, answer=answer)
            answered_at = asked_at + dt.timedelta(hours=2 + 5 * number)
            Answer.objects.filter(pk=answer.pk).update(created_at=answered_at)
            posted.append(answer)
        if accepted is not None:
            services.answer_accept(by=people[asker], question=question, answer=posted[accepted])
            # The asker thanks the answer that helped, under it.
            services.comment_add(
                by=people[asker],
                question=question,
                answer=posted[accepted],
                text="ขอบคุณมากครับ/ค่ะ ลองทำตามแล้วได้ผล จะนำไปใช้กับสหกรณ์อื่นด้วย",
            )
        first = asked_at + dt.timedelta(hours=2) if posted else None
        Question.objects.filter(pk=question.pk).update(created_at=asked_at, first_answer_at=first)
        created += 1
    stdout.write(f"Q&A board: {created} threads created, {len(THREADS) - created} already there.")
